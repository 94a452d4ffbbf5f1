import { useEffect, useState } from 'preact/hooks';
import type { CampaignSummary, SiteReviewState } from '@/lib/campaign/types';
import type { ReviewFilter } from '@/lib/review/filters';
import { downloadEvidence } from './evidenceDownload';
import { formatCount, formatDateTime } from './format';
import { errorText, send } from './messaging';
import { ErrorText, useAction } from './useAction';

/** The review's own filters, offered in the side panel's "Show" list while a review is open. */
export const CAMPAIGN_SHOW_OPTIONS: readonly { value: ReviewFilter; label: string }[] = [
  { value: 'undecided', label: 'Undecided' },
  { value: 'new', label: 'New since last review' },
];

/** What the account list shows right now (for "Decide all shown"). */
export interface ShownAccounts {
  filter: ReviewFilter;
  filterLabel: string;
  search: string;
  total: number;
}

/** The site's latest access review, reloaded on every change. */
export function useCampaign(site: string | null, review: SiteReviewState | undefined, changeCount: number) {
  const [summary, setSummary] = useState<CampaignSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const any = !!review && (review.open !== null || review.lastCompletedAt !== null);
  useEffect(() => {
    if (!site || !any) {
      setSummary(null);
      return;
    }
    let cancelled = false;
    send({ type: 'getCampaign', site }).then(
      (r) => {
        if (cancelled) return;
        setSummary(r.summary);
        setError(null);
      },
      (e: unknown) => !cancelled && setError(errorText(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [site, any, review?.open?.id, review?.lastCompletedAt, changeCount]);
  return { summary: summary && site ? summary : null, error };
}

const shortSeal = (seal: string) => `${seal.slice(0, 16)}…${seal.slice(-8)}`;

/**
 * The access review bar of the side panel: "Start review"; for an open review the snapshot time,
 * "Refresh snapshot", progress, "Keep all unflagged", one decision for every account shown,
 * "Complete review" with the sign-off; for every review "Export evidence".
 */
export function ReviewCampaignBar({
  site,
  synced,
  summary,
  loadError,
  shown,
}: {
  site: string;
  synced: boolean;
  summary: CampaignSummary | null;
  loadError: string | null;
  shown: ShownAccounts;
}) {
  const { busy, error, setError, run } = useAction();
  const [step, setStep] = useState<null | 'bulk' | 'complete'>(null);
  const open = summary?.status === 'open' ? summary : null;

  useEffect(() => setStep(null), [site, summary?.id, summary?.status]);

  const act = (action: () => Promise<unknown>) =>
    run(async () => {
      await action();
    });

  return (
    <section class="card review-bar" aria-labelledby="review-heading">
      <h2 id="review-heading" style={{ margin: 0 }}>
        Access review
      </h2>
      <ErrorText text={loadError} />
      {!open && (
        <>
          {summary?.status === 'completed' && <CompletedSummary summary={summary} />}
          {!summary && <p class="muted">No review yet. Start one to freeze this sync and decide on every account.</p>}
          <div class="row">
            <button type="button" class="primary" disabled={busy || !synced} onClick={() => act(() => send({ type: 'startReview', site }))}>
              Start review
            </button>
            {summary && (
              <button type="button" disabled={busy} onClick={() => act(() => downloadEvidence(site))}>
                Export evidence
              </button>
            )}
          </div>
        </>
      )}
      {open && (
        <>
          <p>
            <strong>Snapshot of {open.syncedAt ? formatDateTime(open.syncedAt) : formatDateTime(open.frozenAt)}</strong>
            {' · '}Reviewer {open.reviewer.name}
          </p>
          <p data-testid="review-progress">
            {formatCount(open.decided)} of {formatCount(open.inReview)} decided
          </p>
          {open.diff && (
            <p class="muted">
              Since the last review: {formatCount(open.diff.added)} new, {formatCount(open.diff.changed)} changed, {formatCount(open.diff.removed)} removed
            </p>
          )}
          {open.newerSync && <p class="muted">A newer sync exists: Refresh snapshot to review it (decisions of accounts still present are kept).</p>}
          <div class="row">
            <button type="button" disabled={busy} onClick={() => act(() => send({ type: 'refreshReview', site }))}>
              Refresh snapshot
            </button>
            <button type="button" disabled={busy} onClick={() => act(() => send({ type: 'decideBulk', site, kind: 'keepUnflagged' }))}>
              Keep all unflagged
            </button>
            <button type="button" disabled={busy || shown.total === 0} onClick={() => { setError(null); setStep(step === 'bulk' ? null : 'bulk'); }}>
              Decide all shown
            </button>
            <button
              type="button"
              class="primary"
              disabled={busy || open.decided < open.inReview}
              onClick={() => { setError(null); setStep('complete'); }}
            >
              Complete review
            </button>
            <button type="button" disabled={busy} onClick={() => act(() => downloadEvidence(site))}>
              Export evidence
            </button>
          </div>
          {step === 'bulk' && (
            <BulkStep
              shown={shown}
              busy={busy}
              onApply={(decision, note) =>
                run(async () => {
                  await send({ type: 'decideBulk', site, kind: 'filter', filter: shown.filter, search: shown.search, decision, note, expectedCount: shown.total });
                  setStep(null);
                })
              }
              onCancel={() => setStep(null)}
            />
          )}
          {step === 'complete' && (
            <SignOffStep
              busy={busy}
              onSign={(signOff) =>
                run(async () => {
                  await send({ type: 'completeReview', site, signOff });
                  setStep(null);
                })
              }
              onCancel={() => setStep(null)}
            />
          )}
        </>
      )}
      <ErrorText text={error} />
    </section>
  );
}

function CompletedSummary({ summary }: { summary: CampaignSummary }) {
  const r = summary.remediation;
  return (
    <>
      <p>
        <strong>Review completed {summary.completedAt ? formatDateTime(summary.completedAt) : ''}</strong> · Reviewer {summary.reviewer.name} ·{' '}
        {formatCount(summary.decided)} of {formatCount(summary.inReview)} decided
      </p>
      {summary.seal && (
        <p class="break">
          Seal (SHA-256): <code title={summary.seal} data-testid="review-seal">{summary.seal}</code>
        </p>
      )}
      <p data-testid="remediation-counts">
        Remediation: {formatCount(r.pending)} pending, {formatCount(r.overdue)} overdue, {formatCount(r.verified)} verified
      </p>
      {summary.diff && (
        <p class="muted">
          Against the previous review: {formatCount(summary.diff.added)} new, {formatCount(summary.diff.changed)} changed, {formatCount(summary.diff.removed)} removed
        </p>
      )}
      {summary.seal && <p class="muted">Seal {shortSeal(summary.seal)} covers the snapshot, every decision and the sign-off.</p>}
    </>
  );
}

function BulkStep({
  shown,
  busy,
  onApply,
  onCancel,
}: {
  shown: ShownAccounts;
  busy: boolean;
  onApply: (decision: 'keep' | 'revoke', note: string) => void;
  onCancel: () => void;
}) {
  const [decision, setDecision] = useState<'keep' | 'revoke'>('revoke');
  const [note, setNote] = useState('');
  const n = formatCount(shown.total);
  const verb = decision === 'keep' ? 'Keep' : 'Revoke';
  return (
    <fieldset>
      <legend>
        One decision for the {n} account{shown.total === 1 ? '' : 's'} shown ({shown.filterLabel}
        {shown.search ? `, “${shown.search}”` : ''})
      </legend>
      <label for="bulk-decision">Decision for all shown</label>
      <select id="bulk-decision" value={decision} onChange={(e) => setDecision(e.currentTarget.value as 'keep' | 'revoke')}>
        <option value="revoke">Revoke</option>
        <option value="keep">Keep</option>
      </select>
      <label for="bulk-note">Note for all shown</label>
      <input id="bulk-note" type="text" maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      <p class="muted">Your own account, if shown, needs its own decision; filtered-out accounts need none.</p>
      <div class="row">
        <button type="button" class="primary" disabled={busy} onClick={() => onApply(decision, note)}>
          {`Confirm: ${verb} ${n} account${shown.total === 1 ? '' : 's'}`}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}

function SignOffStep({ busy, onSign, onCancel }: { busy: boolean; onSign: (signOff: string) => void; onCancel: () => void }) {
  const [text, setText] = useState('');
  return (
    <fieldset>
      <legend>Sign off: the review is then locked and sealed; nothing in it can change.</legend>
      <label for="sign-off">Sign-off statement</label>
      <textarea id="sign-off" rows={3} maxLength={5000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <div class="row">
        <button type="button" class="primary" disabled={busy} onClick={() => onSign(text)}>
          Sign off and lock
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}
