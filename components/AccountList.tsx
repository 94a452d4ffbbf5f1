import { Fragment } from 'preact';
import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'preact/hooks';
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect, type Rect } from '@tanstack/virtual-core';
import { visibleText } from '@/lib/display-text';
import type { ReviewRow, Role } from '@/lib/model';
import { FlagBadge } from './FlagBadge';
import { plural } from './format';

export const ROLE_LABELS: Record<Role, string> = { admin: 'Admin', write: 'Write', read: 'Read', none: 'No access' };

/** Every row has this height (px): fixed sizes keep scrolling through 100,000 rows cheap. */
export const ROW_HEIGHT = 72;
const OVERSCAN = 8;
/** Where there is no layout (unit tests), the list pretends to be this tall. */
const FALLBACK_RECT: Rect = { width: 400, height: 600 };

/** The name an account is listed and announced by: its display name, else its public name or id. */
export function accountName(row: ReviewRow): string {
  const a = row.account;
  return visibleText(a.displayName.trim() || a.publicName.trim() || a.accountId);
}

export interface AccountListProps {
  /** Rows matching the view. */
  total: number;
  rowAt(index: number): ReviewRow | undefined;
  /** The list shows rows start…end (with overscan): load them. */
  onRange(start: number, end: number): void;
  onSelect(accountId: string, index: number, scrollOffset: number): void;
  /** Changes when the view changes: the list goes back to the top. */
  viewKey: string;
  /** Scroll position to start from (coming back from an account). */
  initialOffset?: number;
  /** Focus this row's button once it is rendered (coming back from an account). */
  focusIndex?: number | null;
}

/**
 * The accounts of the view as a virtualised list (@tanstack/virtual-core): only the rows in
 * sight are in the DOM, each a list item with its position in the whole list
 * (aria-posinset/aria-setsize) holding one button named by its text: the account's display
 * name first, then its email, role, groups and flags (WCAG 2.5.3: the name holds what is seen).
 * Arrow keys, Page Up/Down, Home and End move between accounts; Enter opens one.
 */
export function AccountList({ total, rowAt, onRange, onSelect, viewKey, initialOffset = 0, focusIndex = null }: AccountListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [active, setActive] = useState(focusIndex ?? 0);
  const pendingFocus = useRef<number | null>(focusIndex);
  const [virtualizer] = useState(
    () =>
      new Virtualizer<HTMLDivElement, HTMLLIElement>({
        count: total,
        getScrollElement: () => scrollRef.current,
        estimateSize: () => ROW_HEIGHT,
        scrollToFn: elementScroll,
        observeElementRect: (instance, cb) => observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : FALLBACK_RECT)),
        observeElementOffset,
        initialRect: FALLBACK_RECT,
        initialOffset,
        overscan: OVERSCAN,
      }),
  );
  virtualizer.setOptions({
    ...virtualizer.options,
    count: total,
    getScrollElement: () => scrollRef.current,
    onChange: () => rerender(0),
  });
  useLayoutEffect(() => virtualizer._didMount(), [virtualizer]);
  useLayoutEffect(() => virtualizer._willUpdate());

  // A new view starts at the top.
  const firstView = useRef(viewKey);
  useEffect(() => {
    if (firstView.current === viewKey) return;
    firstView.current = viewKey;
    virtualizer.scrollToOffset(0);
    setActive(0);
  }, [viewKey, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (last >= first) onRange(first, last);
  }, [first, last, total, viewKey]);

  useLayoutEffect(() => {
    const want = pendingFocus.current;
    if (want === null) return;
    const button = scrollRef.current?.querySelector<HTMLButtonElement>(`button[data-index="${want}"]`);
    if (button) {
      button.focus({ preventScroll: true });
      pendingFocus.current = null;
    }
  });

  const clampedActive = Math.min(active, Math.max(0, total - 1));
  function moveTo(index: number) {
    const target = Math.max(0, Math.min(total - 1, index));
    setActive(target);
    pendingFocus.current = target;
    virtualizer.scrollToIndex(target, { align: 'auto' });
    rerender(0);
  }

  function onKeyDown(event: KeyboardEvent) {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-index]');
    if (!button) return;
    const index = Number(button.dataset.index);
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight || FALLBACK_RECT.height) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + page, PageUp: index - page, Home: 0, End: total - 1 };
    const to = moves[event.key];
    if (to === undefined) return;
    event.preventDefault();
    moveTo(to);
  }

  return (
    <div class="list-scroll" ref={scrollRef}>
      <ul class="account-list" aria-label="Accounts" style={{ height: `${virtualizer.getTotalSize()}px` }} onKeyDown={onKeyDown}>
        {items.map((item) => {
          const row = rowAt(item.index);
          const style = { height: `${ROW_HEIGHT}px`, transform: `translateY(${item.start}px)` };
          if (!row) {
            return (
              <li key={`loading-${item.index}`} aria-setsize={total} aria-posinset={item.index + 1} style={style} class="loading">
                <span class="muted">Loading…</span>
              </li>
            );
          }
          const a = row.account;
          const id = `acct-${item.index}`;
          return (
            <li key={a.accountId} aria-setsize={total} aria-posinset={item.index + 1} style={style}>
              <button
                type="button"
                class="account"
                data-index={item.index}
                tabIndex={item.index === clampedActive ? 0 : -1}
                onFocus={() => setActive(item.index)}
                onClick={() => onSelect(a.accountId, item.index, virtualizer.scrollOffset ?? 0)}
              >
                <span class="name" id={`${id}-name`}>
                  {accountName(row)}
                </span>{' '}
                <span class="meta" id={`${id}-meta`}>
                  {a.email ? visibleText(a.email) : 'email hidden'} · {ROLE_LABELS[a.role]} · {plural(a.groups.length, 'group')}
                </span>{' '}
                {row.flags.length > 0 && (
                  <span class="flags" id={`${id}-flags`}>
                    {row.flags.map((f) => (
                      <Fragment key={f.flag}>
                        <FlagBadge flag={f.flag} />{' '}
                      </Fragment>
                    ))}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
