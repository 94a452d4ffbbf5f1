import { useEffect, useState } from 'preact/hooks';
import type { CampaignAccount, Decision } from '@/lib/campaign/types';
import { formatDateTime } from './format';
import { send } from './messaging';
import { ErrorText, useAction } from './useAction';

const DECISION_TEXT: Record<Decision, string> = { keep: 'Keep', revoke: 'Revoke', modify: 'Modify access' };
const DIFF_TEXT = { new: 'New since the last review', changed: 'Changed since the last review', unchanged: 'Unchanged since the last review' } as const;

/**
 * The review's say on one account: its decision (who, when, note, groups to leave), its diff tag
 * and remediation; while the review is open, "Keep", "Revoke", "Modify access" with a
 * "Decision note". The background checks the note rules and refuses without recording anything;
 * the refusal is shown here.
 */
export function DecisionPanel({ site, account }: { site: string; account: CampaignAccount }) {
  const { busy, error, setError, run } = useAction();
  const current = account.decision;
  const [note, setNote] = useState(current?.note ?? '');
  const [modifying, setModifying] = useState(false);
  const [leave, setLeave] = useState<Set<string>>(new Set(current?.removeFromGroups.map((g) => g.id) ?? []));
  const id = account.row.account.accountId;
  const filtered = account.row.account.filteredReason !== null;

  useEffect(() => {
    setNote(account.decision?.note ?? '');
    setLeave(new Set(account.decision?.removeFromGroups.map((g) => g.id) ?? []));
    setModifying(false);
    setError(null);
  }, [id]);

  const decide = (decision: Decision, removeFromGroupIds: string[] = []) =>
    run(async () => {
      await send({ type: 'decide', site, accountId: id, decision, note, removeFromGroupIds });
      setModifying(false);
    });

  const hint = account.noteRules.keep || 'Revoke and Modify access need a note.';

  return (
    <section aria-labelledby="decision-heading">
      <h3 id="decision-heading">Review decision</h3>
      {account.diff && <p class="muted">{DIFF_TEXT[account.diff.tag]}{account.diff.fields.length > 0 ? ` (${account.diff.fields.join(', ')})` : ''}</p>}
      {filtered ? (
        <p class="muted">Filtered out of the review: listed in the evidence, no decision needed.</p>
      ) : (
        <p data-testid="decision-status">
          {current ? (
            <>
              Decision: <strong>{DECISION_TEXT[current.decision]}</strong>
              {current.removeFromGroups.length > 0 ? ` — remove from ${current.removeFromGroups.map((g) => g.name).join(', ')}` : ''}
              {' '}({current.decidedBy.name}, {formatDateTime(current.decidedAt)}){current.note ? `: ${current.note}` : ''}
            </>
          ) : (
            'Undecided'
          )}
        </p>
      )}
      {account.remediation && (
        <p data-testid="remediation-status">
          Remediation: {account.remediation.status}
          {account.remediation.verifiedAt ? ` (sync of ${formatDateTime(account.remediation.verifiedAt)})` : ''}
        </p>
      )}
      {account.locked && <p class="muted">The review is completed and locked.</p>}
      {!account.locked && !filtered && (
        <>
          {account.self && <p class="muted">This is your own account: self-review is an audit finding, so any decision needs a note.</p>}
          <label for="decision-note">Decision note</label>
          <textarea id="decision-note" rows={2} maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          {!account.self && <p class="muted">{hint}</p>}
          <div class="row">
            <button type="button" disabled={busy} onClick={() => decide('keep')}>
              Keep
            </button>
            <button type="button" disabled={busy} onClick={() => decide('revoke')}>
              Revoke
            </button>
            <button type="button" disabled={busy} aria-expanded={modifying} onClick={() => { setError(null); setModifying(!modifying); }}>
              Modify access
            </button>
          </div>
          {modifying && (
            <fieldset>
              <legend>Which monitored groups should the account leave?</legend>
              {account.row.account.groups.map((g) => (
                <label class="inline" key={g.id}>
                  <input
                    type="checkbox"
                    checked={leave.has(g.id)}
                    onChange={(e) => {
                      const next = new Set(leave);
                      if (e.currentTarget.checked) next.add(g.id);
                      else next.delete(g.id);
                      setLeave(next);
                    }}
                  />
                  {`Remove from ${g.name}`}
                </label>
              ))}
              <div class="row">
                <button type="button" class="primary" disabled={busy} onClick={() => decide('modify', [...leave])}>
                  Confirm modification
                </button>
              </div>
            </fieldset>
          )}
          <ErrorText text={error} />
        </>
      )}
    </section>
  );
}
