import { useEffect, useRef } from 'preact/hooks';
import { visibleText } from '@/lib/display-text';
import type { ReviewRow } from '@/lib/model';
import { FlagBadge } from './FlagBadge';
import { ROLE_LABELS, accountName } from './AccountList';
import { OwnerActions } from './OwnerActions';
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
 * Everything the review knows about one account, and the owner actions. Every text from
 * Atlassian or the roster is shown with its hidden characters made visible (lib/display-text.ts).
 * Escape or "Back to list" returns to the list (the side panel handles both).
 */
export function AccountDetail({ site, row, onBack }: { site: string; row: ReviewRow; onBack: () => void }) {
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
      <OwnerActions key={a.accountId} site={site} row={row} />
    </article>
  );
}
