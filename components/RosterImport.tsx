import { useState } from 'preact/hooks';
import type { RosterMeta } from '@/lib/model';
import {
  decodeRosterBytes,
  ENCODING_LABELS,
  parseRoster,
  rosterFileSizeError,
  ROSTER_FIELDS,
  type ColumnMapping,
  type RosterEncoding,
  type RosterField,
} from '@/lib/roster';
import { packPerson } from '@/lib/roster/wire';
import { send } from './messaging';
import { ErrorText, useAction } from './useAction';
import { RowErrors } from './RowErrors';
import { formatCount, formatDateTime, plural } from './format';

export const PREVIEW_ROWS = 20;

export const FIELD_LABELS: Record<RosterField, string> = {
  email: 'Work email',
  name: 'Full name',
  firstName: 'First name',
  lastName: 'Last name',
  preferredName: 'Preferred name',
  status: 'Employment status',
  endDate: 'End date',
  startDate: 'Start date',
  altEmails: 'Alternate emails',
  employeeType: 'Employee type',
  department: 'Department',
  manager: 'Manager',
};

type Parsed = ReturnType<typeof parseRoster>;

interface Loaded {
  fileName: string;
  text: string;
  encoding: RosterEncoding;
  parsed: Parsed;
}

/** Chrome's own words when a runtime message is over its 64 MiB cap (older and newer wording). */
const MESSAGE_TOO_BIG = /Message (length )?exceeded maximum allowed (length|size)/i;

/**
 * Pick an HR export, check the parse in the page, then send the people to the background.
 * Nothing is replaced until the background confirms the import (it swaps the roster atomically).
 * The preview says which export the file was recognised as (lib/roster/presets.ts) and warns,
 * without blocking the import, when the file cannot reveal leavers.
 */
export function RosterImport({ roster, onImported }: { roster: RosterMeta | null; onImported: (meta: RosterMeta) => void }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [current, setCurrent] = useState<RosterMeta | null>(null);
  /** Remounts the file input after an import so it no longer shows the imported file. */
  const [fileInputKey, setFileInputKey] = useState(0);
  const importing = useAction();
  const shownMeta = current ?? roster;

  async function onFile(file: File | undefined) {
    setLoaded(null);
    setReadError(null);
    importing.setError(null);
    if (!file) return;
    const unchanged = roster !== null || current !== null ? ' The current roster is unchanged.' : '';
    // Refused before reading: a huge file would cost the page its memory, not only time.
    const sizeError = rosterFileSizeError(file.size);
    if (sizeError !== null) {
      setReadError(`Cannot import ${file.name}: ${sizeError}${unchanged}`);
      return;
    }
    try {
      const decoded = decodeRosterBytes(new Uint8Array(await file.arrayBuffer()));
      if ('error' in decoded) {
        setReadError(`Cannot import ${file.name}: ${decoded.error}${unchanged}`);
        return;
      }
      const { text, encoding } = decoded;
      setLoaded({ fileName: file.name, text, encoding, parsed: parseRoster(text, {}) });
    } catch (e) {
      setReadError(`Could not read ${file.name}: ${e instanceof Error ? e.message : String(e)}${unchanged}`);
    }
  }

  function remap(field: RosterField, header: string | null) {
    if (!loaded) return;
    const mapping: ColumnMapping = { ...loaded.parsed.mapping, [field]: header };
    setLoaded({ ...loaded, parsed: parseRoster(loaded.text, { mapping }) });
  }

  async function importRoster() {
    if (!loaded) return;
    const { fileName, parsed } = loaded;
    await importing.run(async () => {
      const answer = await send({ type: 'importRoster', fileName, packedPeople: parsed.people.map(packPerson) }).catch((e: unknown) => {
        // parseRoster keeps the people under the cap (limits.ts); should Chrome refuse anyway,
        // say so in words, not with its raw error.
        throw e instanceof Error && MESSAGE_TOO_BIG.test(e.message)
          ? new Error('the roster is too big to hand to the extension in one message; map fewer columns or shorten long values')
          : e;
      });
      setCurrent(answer.meta);
      setLoaded(null);
      setFileInputKey((k) => k + 1);
      onImported(answer.meta);
    });
  }

  const parsed = loaded?.parsed;
  const canImport = !!parsed && parsed.errors.length === 0 && parsed.people.length > 0 && !importing.busy;

  return (
    <div>
      <p data-testid="roster-status">
        {shownMeta
          ? `Roster: ${shownMeta.fileName} — ${plural(shownMeta.people, 'person', 'people')}, imported ${formatDateTime(shownMeta.importedAt)}`
          : 'No roster imported yet.'}
      </p>
      <label for="roster-file">Personnel roster</label>
      <input
        key={fileInputKey}
        id="roster-file"
        type="file"
        accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
        onChange={(e) => void onFile(e.currentTarget.files?.[0])}
      />
      <p class="muted">
        A CSV export from your HR system (BambooHR, Deel, Gusto, HiBob, Personio, Rippling, Workday…) or your Google Workspace or
        Okta user list, with at least a work email or a name column; include former employees. It never leaves this browser.
      </p>
      <ErrorText text={readError} />
      {loaded && parsed && (
        <div>
          <h3>Preview of {loaded.fileName}</h3>
          <p role="status">
            {plural(parsed.rowCount, 'row')} read, {plural(parsed.people.length, 'person', 'people')},{' '}
            {parsed.errors.length === 0 ? 'no errors' : plural(parsed.errors.length, 'error')}
            {parsed.terminatedCount > 0 ? `, ${formatCount(parsed.terminatedCount)} already left` : ''}
          </p>
          {parsed.preset && (
            <p data-testid="roster-preset">
              <strong>Recognised: {parsed.preset.label}</strong>
              {parsed.systemLeftStatuses.length > 0 && (
                <span class="muted"> — status {orList(parsed.systemLeftStatuses.map((s) => `“${s}”`))} counts as left in this export.</span>
              )}
            </p>
          )}
          {parsed.warnings.length > 0 && (
            <ul aria-label="Roster warnings" data-testid="roster-warnings" style={{ color: 'var(--warn)', paddingLeft: '1.2em' }}>
              {parsed.warnings.map((w) => (
                <li key={w.code}>Warning: {w.message}</li>
              ))}
            </ul>
          )}
          {loaded.encoding !== 'utf-8' && (
            <p class="muted" data-testid="roster-encoding">
              Read as {ENCODING_LABELS.get(loaded.encoding)}. Check that names with accents look right below.
            </p>
          )}
          <MappingEditor headers={parsed.headers} mapping={parsed.mapping} onChange={remap} />
          {parsed.errors.length > 0 && <RowErrors errors={parsed.errors} label="Roster errors" heading="Errors" />}
          {parsed.people.length > 0 && <PeoplePreview people={parsed.people.slice(0, PREVIEW_ROWS)} total={parsed.people.length} />}
        </div>
      )}
      <div class="row">
        <button type="button" class="primary" disabled={!canImport} onClick={importRoster}>
          Import roster
        </button>
        {parsed && parsed.errors.length > 0 && <span class="muted">Fix the errors (or the column mapping) before importing.</span>}
      </div>
      {importing.busy && <p role="status">Importing…</p>}
      <ErrorText text={importing.error && `Import failed: ${importing.error}. The previous roster is unchanged.`} />
    </div>
  );
}

/** "“A”", "“A” or “B”", "“A”, “B” or “C”". */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function MappingEditor({
  headers,
  mapping,
  onChange,
}: {
  headers: string[];
  mapping: ColumnMapping;
  onChange: (field: RosterField, header: string | null) => void;
}) {
  return (
    <fieldset>
      <legend>Column mapping</legend>
      <div class="grid" style={{ gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))', gap: '4px 12px' }}>
        {ROSTER_FIELDS.map((field) => (
          <div key={field}>
            <label for={`map-${field}`}>{FIELD_LABELS[field]} column</label>
            <select
              id={`map-${field}`}
              value={mapping[field] ?? ''}
              onChange={(e) => onChange(field, e.currentTarget.value === '' ? null : e.currentTarget.value)}
            >
              <option value="">(not in file)</option>
              {headers.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

function PeoplePreview({ people, total }: { people: Parsed['people']; total: number }) {
  return (
    <div>
      <h3>
        First {people.length} of {formatCount(total)} people
      </h3>
      <div class="table-wrap">
        <table aria-label="Roster preview">
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Name</th>
              <th scope="col">Work email</th>
              <th scope="col">Status</th>
              <th scope="col">End date</th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.id + p.row}>
                <td>{p.row}</td>
                <td>{p.name}</td>
                <td>{p.workEmail ?? '—'}</td>
                <td>{p.status ?? '—'}</td>
                <td>{p.endDate ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
