import { Fragment } from 'preact';
import type { ReviewRow, Role } from '@/lib/model';
import { FlagBadge } from './FlagBadge';
import { formatCount, plural } from './format';

export const LIST_PAGE = 200;

export const ROLE_LABELS: Record<Role, string> = { admin: 'Admin', write: 'Write', read: 'Read', none: 'No access' };

/**
 * The accounts to review, as buttons that open the detail. The background answers a page of
 * rows at a time; `total` is how many match, `onMore` asks for the next page.
 */
export function AccountList({
  rows,
  total,
  onSelect,
  onMore,
}: {
  rows: ReviewRow[];
  total: number;
  onSelect: (accountId: string) => void;
  onMore: () => void;
}) {
  const shown = rows;
  return (
    <div>
      <ul class="account-list" aria-label="Accounts">
        {shown.map((r) => (
          <li key={r.account.accountId}>
            <button type="button" class="account" onClick={() => onSelect(r.account.accountId)}>
              <span class="name">{r.account.displayName || r.account.publicName || r.account.accountId}</span>{' '}
              <span class="meta" style={{ display: 'block' }}>
                {r.account.email ?? 'email hidden'} · {ROLE_LABELS[r.account.role]} · {plural(r.account.groups.length, 'group')}
              </span>{' '}
              {r.flags.length > 0 && (
                <span style={{ display: 'block' }}>
                  {r.flags.map((f) => (
                    <Fragment key={f.flag}>
                      <FlagBadge flag={f.flag} />{' '}
                    </Fragment>
                  ))}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {total > shown.length && (
        <div class="row">
          <span class="muted">
            Showing {formatCount(shown.length)} of {formatCount(total)}
          </span>
          <button type="button" onClick={onMore}>
            Show more
          </button>
        </div>
      )}
    </div>
  );
}
