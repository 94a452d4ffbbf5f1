import type { ReviewRow } from '@/lib/model';
import { FlagBadge } from './FlagBadge';
import { ROLE_LABELS } from './AccountList';
import { OwnerActions } from './OwnerActions';
import { DecisionPanel } from './DecisionPanel';
import type { CampaignAccount } from '@/lib/campaign/types';
import { formatDateTime } from './format';

const EMAIL_SOURCE: Record<ReviewRow['account']['emailSource'], string> = {
  confluence: 'from Confluence',
  jira: 'from Jira',
  none: '',
};

const MATCH_RULE: Record<ReviewRow['match']['rule'], string> = {
  manual: 'Linked by a reviewer',
  email: 'Email match',
  name: 'Name match',
  none: 'No match',
};

function markText(row: ReviewRow): string | null {
  const m = row.mark;
  if (!m) return null;
  const at = formatDateTime(m.at);
  switch (m.kind) {
    case 'external':
      return `Marked external (${at}): ${m.reason}`;
    case 'service':
      return `Marked service account (${at}): ${m.reason}`;
    case 'link':
      return `Linked to a person (${at})`;
    case 'confirm':
      return `Name match confirmed (${at})`;
    case 'unlink':
      return `Automatic match rejected (${at})`;
  }
}

/** Everything the review knows about one account, and the owner actions. */
export function AccountDetail({ site, row, review, onBack }: { site: string; row: ReviewRow; review?: CampaignAccount | null; onBack: () => void }) {
  const a = row.account;
  const p = row.person;
  const mark = markText(row);
  return (
    <article aria-labelledby="detail-name">
      <button type="button" class="link" onClick={onBack}>
        ← Back to list
      </button>
      <h2 id="detail-name">{a.displayName || a.publicName || a.accountId}</h2>
      {row.flags.length > 0 && (
        <ul class="plain flag-list" aria-label="Flags">
          {row.flags.map((f) => (
            <li key={f.flag}>
              <FlagBadge flag={f.flag} /> <span>{f.explanation}</span>
            </li>
          ))}
        </ul>
      )}
      <dl class="facts">
        <dt>Email</dt>
        <dd>{a.email ? `${a.email} ${EMAIL_SOURCE[a.emailSource]}`.trim() : 'email hidden'}</dd>
        <dt>Account id</dt>
        <dd>
          <code>{a.accountId}</code>
        </dd>
        <dt>Type</dt>
        <dd>
          {a.accountType}
          {a.isGuest ? ' (guest)' : ''}
        </dd>
        <dt>Status</dt>
        <dd>
          {a.status}
          {a.statusSignal ? ` — ${a.statusSignal}` : ''}
        </dd>
        <dt>Role</dt>
        <dd>{ROLE_LABELS[a.role]}</dd>
        <dt>Groups</dt>
        <dd>{a.groups.length === 0 ? 'none' : a.groups.map((g) => g.name).join(', ')}</dd>
        <dt>Match</dt>
        <dd>
          {/* The explanation already says whether a name match still needs confirmation. */}
          {MATCH_RULE[row.match.rule]} — {row.match.explanation}
        </dd>
        <dt>Person</dt>
        <dd>
          {p ? (
            <>
              {p.name}
              {p.workEmail ? ` · ${p.workEmail}` : ''}
              {p.status ? ` · ${p.status}` : ''}
              {p.endDate ? ` · ends ${p.endDate}` : ''}
            </>
          ) : (
            'none'
          )}
        </dd>
        {mark && (
          <>
            <dt>Mark</dt>
            <dd>{mark}</dd>
          </>
        )}
        {a.filteredReason && (
          <>
            <dt>Filtered out</dt>
            <dd>{a.filteredDetail ?? a.filteredReason}</dd>
          </>
        )}
      </dl>
      {review && <DecisionPanel site={site} account={review} />}
      <OwnerActions key={a.accountId} site={site} row={row} />
    </article>
  );
}
