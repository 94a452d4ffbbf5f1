import { useEffect, useRef } from 'preact/hooks';
import { visibleText } from '@/lib/display-text';
import type { ReviewRow } from '@/lib/model';
import { FlagBadge } from './FlagBadge';
import { ROLE_LABELS, accountName } from './AccountList';
import { OwnerActions } from './OwnerActions';
import { formatDateTime, localDate, plural } from './format';
import { describeSource, formatDay } from '@/lib/activity/flags';
import { daysBetween } from '@/lib/roster/dates';
import { DecisionPanel } from './DecisionPanel';
import type { CampaignAccount } from '@/lib/campaign/types';

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

/** e.g. "14 Dec 2025 (352 days ago) in Confluence on this site, per the user export of 27 Nov 2026 (4 days old)". */
function lastActiveText(row: ReviewRow): string {
  const fact = row.activity.lastActive;
  if (!fact) return 'unknown — import a user export or save an organization API key on the Settings page';
  const today = localDate();
  const where = fact.scope === 'site' ? 'in Confluence on this site' : 'in any Atlassian product';
  const when = fact.value === 'never' ? `never ${where}` : `${formatDay(fact.value)} (${plural(daysBetween(fact.value, today), 'day')} ago) ${where}`;
  const age = daysBetween(fact.source.date, today);
  return `${when}, per ${describeSource(fact.source)} (${age === 0 ? 'today' : `${plural(age, 'day')} old`})`;
}

function markText(row: ReviewRow): string | null {
  const m = row.mark;
  if (!m) return null;
  const at = formatDateTime(m.at);
  switch (m.kind) {
    case 'external':
      return `Marked external (${at}): ${visibleText(m.reason)}`;
    case 'service':
      return `Marked service account (${at}): ${visibleText(m.reason)}`;
    case 'link':
      return `Linked to a person (${at})`;
    case 'confirm':
      return `Name match confirmed (${at})`;
    case 'unlink':
      return `Automatic match rejected (${at})`;
  }
}

/**
 * Everything the review knows about one account, and the owner actions (and, while an access
 * review is open, its decision). Every text from Atlassian or the roster is shown with its hidden
 * characters made visible (lib/display-text.ts). Escape or "Back to list" returns to the list
 * (the side panel handles both).
 */
export function AccountDetail({ site, row, review, onBack }: { site: string; row: ReviewRow; review?: CampaignAccount | null; onBack: () => void }) {
  const a = row.account;
  const p = row.person;
  const mark = markText(row);
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard users land on the account they opened.
  useEffect(() => heading.current?.focus({ preventScroll: true }), [a.accountId]);
  return (
    <article aria-labelledby="detail-name" class="detail">
      <button type="button" class="link" onClick={onBack}>
        ← Back to list
      </button>
      <h2 id="detail-name" tabIndex={-1} ref={heading}>
        {accountName(row)}
      </h2>
      {row.flags.length > 0 && (
        <ul class="plain flag-list" aria-label="Flags">
          {row.flags.map((f) => (
            <li key={f.flag}>
              <FlagBadge flag={f.flag} /> <span>{visibleText(f.explanation)}</span>
            </li>
          ))}
        </ul>
      )}
      <dl class="facts">
        <dt>Display name</dt>
        <dd>{a.displayName === '' ? '(empty)' : visibleText(a.displayName)}</dd>
        <dt>Email</dt>
        <dd>{a.email ? `${visibleText(a.email)} ${EMAIL_SOURCE[a.emailSource]}`.trim() : 'email hidden'}</dd>
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
          {a.statusSignal ? ` — ${visibleText(a.statusSignal)}` : ''}
        </dd>
        <dt>Role</dt>
        <dd>{ROLE_LABELS[a.role]}</dd>
        <dt>Groups</dt>
        <dd>{a.groups.length === 0 ? 'none' : a.groups.map((g) => visibleText(g.name)).join(', ')}</dd>
        <dt>Match</dt>
        <dd>
          {/* The explanation already says whether a name match still needs confirmation. */}
          {MATCH_RULE[row.match.rule]} — {visibleText(row.match.explanation)}
        </dd>
        <dt>Person</dt>
        <dd>
          {p ? (
            <>
              {visibleText(p.name)}
              {p.workEmail ? ` · ${visibleText(p.workEmail)}` : ''}
              {p.status ? ` · ${visibleText(p.status)}` : ''}
              {p.endDate ? ` · ends ${p.endDate}` : ''}
            </>
          ) : (
            'none'
          )}
        </dd>
        <dt>Last active</dt>
        <dd>{lastActiveText(row)}</dd>
        <dt>Two-step verification</dt>
        <dd>{row.activity.mfa ? `${row.activity.mfa.value} (per ${describeSource(row.activity.mfa.source)})` : 'unknown'}</dd>
        {mark && (
          <>
            <dt>Mark</dt>
            <dd>{mark}</dd>
          </>
        )}
        {a.filteredReason && (
          <>
            <dt>Filtered out</dt>
            <dd>{visibleText(a.filteredDetail ?? a.filteredReason)}</dd>
          </>
        )}
      </dl>
      {review && <DecisionPanel site={site} account={review} />}
      <OwnerActions key={a.accountId} site={site} row={row} />
    </article>
  );
}
