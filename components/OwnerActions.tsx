import { useEffect, useState } from 'preact/hooks';
import { visibleText } from '@/lib/display-text';
import type { OwnerMarkInput, Person, ReviewRow } from '@/lib/model';
import { errorText, send } from './messaging';
import { ErrorText, useAction } from './useAction';

type Step = null | 'link' | 'external' | 'service';

const PEOPLE_SHOWN = 50;

/**
 * The reviewer's say on who owns an account; every action is one `setMark`. The page reloads
 * from the background's `stateChanged` broadcast, not from the answer, so once per change.
 */
export function OwnerActions({ site, row }: { site: string; row: ReviewRow }) {
  const [step, setStep] = useState<Step>(null);
  const { busy, error, setError, run } = useAction();
  const { match, mark } = row;

  async function setMark(next: OwnerMarkInput | null) {
    const ok = await run(async () => {
      await send({ type: 'setMark', site, accountId: row.account.accountId, mark: next });
    });
    if (ok) setStep(null);
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
  candidates,
  busy,
  onSave,
  onCancel,
}: {
  candidates: string[];
  busy: boolean;
  onSave: (personId: string) => void;
  onCancel: () => void;
}) {
  const [query, setQuery] = useState('');
  const [personId, setPersonId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [found, setFound] = useState<{ total: number; people: Person[]; hasRoster: boolean } | null>(null);

  // The roster stays in the background: it answers one page of people per search.
  useEffect(() => {
    let cancelled = false;
    send({ type: 'searchPeople', search: query, first: candidates, limit: PEOPLE_SHOWN }).then(
      (page) => !cancelled && setFound({ total: page.total, people: page.people, hasRoster: page.meta !== null }),
      (e: unknown) => !cancelled && setError(errorText(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [query, candidates.join('\n')]);

  if (found && !found.hasRoster) {
    return <p class="muted">Import a roster on the Settings page to match accounts to people.</p>;
  }
  const options = found?.people ?? [];
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
            {visibleText(p.name)}
            {p.workEmail ? ` — ${visibleText(p.workEmail)}` : ''}
            {p.endDate ? ` (ends ${p.endDate})` : ''}
          </option>
        ))}
      </select>
      {found && found.total > options.length && (
        <p class="muted">
          Showing the first {options.length} of {found.total}; type to narrow the list.
        </p>
      )}
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
