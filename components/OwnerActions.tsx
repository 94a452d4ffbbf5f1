import { useMemo, useState } from 'preact/hooks';
import type { Person, ReviewRow } from '@/lib/model';
import type { OwnerMarkInput } from '@/lib/messages';
import { send } from './messaging';
import { ErrorText, useAction } from './useAction';

type Step = null | 'link' | 'external' | 'service';

const PEOPLE_SHOWN = 200;

/** The reviewer's say on who owns an account; every action is one `setMark`. */
export function OwnerActions({ site, row, people, onChanged }: { site: string; row: ReviewRow; people: Person[]; onChanged: () => void }) {
  const [step, setStep] = useState<Step>(null);
  const { busy, error, setError, run } = useAction();
  const { match, mark } = row;

  async function setMark(next: OwnerMarkInput | null) {
    const ok = await run(async () => {
      await send({ type: 'setMark', site, accountId: row.account.accountId, mark: next });
    });
    if (ok) {
      setStep(null);
      onChanged();
    }
  }

  const matchedPerson = match.personId !== null && match.rule !== 'none' ? match.personId : null;
  const canConfirm = matchedPerson !== null && row.flags.some((f) => f.flag === 'needs_confirmation');

  return (
    <div>
      <h3>Owner</h3>
      <div class="row">
        <button type="button" disabled={busy} onClick={() => { setError(null); setStep('link'); }}>
          Link to person
        </button>
        {matchedPerson !== null && (
          <button type="button" disabled={busy} onClick={() => setMark({ kind: 'unlink', personId: matchedPerson })}>
            Unlink
          </button>
        )}
        {canConfirm && matchedPerson !== null && (
          <button type="button" disabled={busy} onClick={() => setMark({ kind: 'confirm', personId: matchedPerson })}>
            Confirm match
          </button>
        )}
        <button type="button" disabled={busy} onClick={() => { setError(null); setStep('external'); }}>
          Mark external
        </button>
        <button type="button" disabled={busy} onClick={() => { setError(null); setStep('service'); }}>
          Mark service
        </button>
        {mark && (
          <button type="button" disabled={busy} onClick={() => setMark(null)}>
            Clear mark
          </button>
        )}
      </div>
      {step === 'link' && (
        <LinkStep
          people={people}
          candidates={match.candidates}
          busy={busy}
          onSave={(personId) => setMark({ kind: 'link', personId })}
          onCancel={() => setStep(null)}
        />
      )}
      {(step === 'external' || step === 'service') && (
        <ReasonStep
          key={step}
          kind={step}
          busy={busy}
          onSave={(reason) => setMark({ kind: step, reason })}
          onCancel={() => setStep(null)}
        />
      )}
      <ErrorText text={error} />
    </div>
  );
}

function LinkStep({
  people,
  candidates,
  busy,
  onSave,
  onCancel,
}: {
  people: Person[];
  candidates: string[];
  busy: boolean;
  onSave: (personId: string) => void;
  onCancel: () => void;
}) {
  const [query, setQuery] = useState('');
  const [personId, setPersonId] = useState('');
  const [error, setError] = useState<string | null>(null);

  const options = useMemo(() => {
    const q = query.trim().toLowerCase();
    const matching = q
      ? people.filter((p) => p.name.toLowerCase().includes(q) || (p.workEmail ?? '').toLowerCase().includes(q))
      : people;
    // Name-tie candidates first: they are the likeliest owners.
    const first = matching.filter((p) => candidates.includes(p.id));
    const rest = matching.filter((p) => !candidates.includes(p.id)).sort((a, b) => a.name.localeCompare(b.name));
    return [...first, ...rest].slice(0, PEOPLE_SHOWN);
  }, [people, candidates, query]);

  if (people.length === 0) {
    return <p class="muted">Import a roster on the Settings page to match accounts to people.</p>;
  }
  return (
    <fieldset>
      <legend>Link to a person from the roster</legend>
      <label for="person-search">Search people</label>
      <input id="person-search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      <label for="person-select">Person</label>
      <select id="person-select" size={Math.min(8, Math.max(2, options.length + 1))} value={personId} onChange={(e) => setPersonId(e.currentTarget.value)}>
        <option value="">(choose a person)</option>
        {options.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
            {p.workEmail ? ` — ${p.workEmail}` : ''}
            {p.endDate ? ` (ends ${p.endDate})` : ''}
          </option>
        ))}
      </select>
      {options.length === PEOPLE_SHOWN && <p class="muted">Showing the first {PEOPLE_SHOWN}; type to narrow the list.</p>}
      <div class="row">
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() => {
            if (!personId) {
              setError('Choose a person first.');
              return;
            }
            setError(null);
            onSave(personId);
          }}
        >
          Save link
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ErrorText text={error} />
    </fieldset>
  );
}

function ReasonStep({
  kind,
  busy,
  onSave,
  onCancel,
}: {
  kind: 'external' | 'service';
  busy: boolean;
  onSave: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <fieldset>
      <legend>{kind === 'external' ? 'Mark as an external person' : 'Mark as a service account'}</legend>
      <label for="mark-reason">Reason</label>
      <input
        id="mark-reason"
        type="text"
        maxLength={500}
        value={reason}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'mark-reason-error' : undefined}
        onInput={(e) => setReason(e.currentTarget.value)}
      />
      <div class="row">
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() => {
            // lib/messages.ts rejects an empty reason; say so here instead of sending it.
            if (!reason.trim()) {
              setError('A reason is required');
              return;
            }
            setError(null);
            onSave(reason.trim());
          }}
        >
          Save mark
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ErrorText text={error} id="mark-reason-error" />
    </fieldset>
  );
}
