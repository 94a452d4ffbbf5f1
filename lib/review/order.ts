/**
 * Sort orders and search text of review rows, shared by the warm review model (lib/review/model.ts)
 * and an access review's frozen model (lib/campaign/model.ts). Rows come in export order (display
 * name, then account id); every other order is derived from it and keeps it for ties, with
 * counting passes where the key is a small integer (no comparison sort of 100,000 names).
 */
import type { ReviewRow } from '../model';
import { foldForSearch } from '../search-fold';
import { rowSeverity, type ReviewSort } from './filters';

const ROLE_RANK = { admin: 0, write: 1, read: 2, none: 3 } as const;

/** What a search is matched against: name, email, account id, owner and groups, folded. */
export function rowSearchText(row: ReviewRow): string {
  const { account, person } = row;
  const parts = [account.displayName, account.publicName, account.email ?? '', account.accountId, person?.name ?? '', person?.workEmail ?? ''];
  for (const g of account.groups) parts.push(g.name);
  return foldForSearch(parts.join('\n'));
}

/**
 * Least recently active first: never used, then the oldest last-active date; rows with no
 * activity data last.
 */
function activityKey(row: ReviewRow): string {
  const value = row.activity.lastActive?.value;
  return value === undefined ? '\uffff' : value === 'never' ? '' : value;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Row indexes in `sort`'s order; ties keep the rows' own (export) order. */
export function orderRows(rows: readonly ReviewRow[], sort: ReviewSort): Int32Array {
  const n = rows.length;
  const row = (i: number) => rows[i] as ReviewRow;
  switch (sort) {
    case 'name':
      return Int32Array.from({ length: n }, (_, i) => i);
    case 'severity':
      return bucketOrder(n, 5, (i) => 4 - rowSeverity(row(i)));
    case 'groups': {
      const max = rows.reduce((m, r) => Math.max(m, r.account.groups.length), 0);
      return bucketOrder(n, max + 1, (i) => max - row(i).account.groups.length);
    }
    case 'role':
      return bucketOrder(n, 4, (i) => ROLE_RANK[row(i).account.role]);
    case 'activity': {
      const keys = rows.map(activityKey);
      return Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => compareText(keys[a] as string, keys[b] as string) || a - b);
    }
  }
}

/**
 * `orderRows`'s order as a comparison of rows `a` and `b` (indexes into `rows`): negative when
 * `a` comes first. Every order is by its key, then by the row's own (export) position, so it is a
 * total order: `orderRows(rows, sort)` is exactly `0..n-1` sorted with it.
 */
function compareRows(rows: readonly ReviewRow[], sort: ReviewSort, a: number, b: number): number {
  const ra = rows[a] as ReviewRow;
  const rb = rows[b] as ReviewRow;
  let byKey = 0;
  switch (sort) {
    case 'name':
      break;
    case 'severity':
      byKey = rowSeverity(rb) - rowSeverity(ra);
      break;
    case 'groups':
      byKey = rb.account.groups.length - ra.account.groups.length;
      break;
    case 'role':
      byKey = ROLE_RANK[ra.account.role] - ROLE_RANK[rb.account.role];
      break;
    case 'activity':
      byKey = compareText(activityKey(ra), activityKey(rb));
      break;
  }
  return byKey || a - b;
}

/**
 * Where row `i` goes in `list`, a list of row indexes in `sort`'s order that does not hold `i`:
 * the first place whose row comes after it (binary search).
 */
function insertionPoint(rows: readonly ReviewRow[], sort: ReviewSort, list: Int32Array, i: number, length = list.length): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareRows(rows, sort, list[mid] as number, i) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A stable counting sort of 0..n-1 by a small integer key (0 first). */
function bucketOrder(n: number, buckets: number, keyOf: (i: number) => number): Int32Array {
  const starts = new Int32Array(buckets + 1);
  const keys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = keyOf(i);
    keys[i] = key;
    starts[key + 1] = (starts[key + 1] as number) + 1;
  }
  for (let b = 0; b < buckets; b++) starts[b + 1] = (starts[b + 1] as number) + (starts[b] as number);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = keys[i] as number;
    order[starts[key] as number] = i;
    starts[key] = (starts[key] as number) + 1;
  }
  return order;
}

/**
 * A row list's search text and sort orders, each computed on first use and kept until told that
 * rows changed. The list is read by reference: a model that rewrites a row in place calls
 * `rowChanged`, and one that swaps the whole list calls `reset`.
 */
export class RowLookups {
  private haystacks: (string | undefined)[];
  private readonly orders = new Map<ReviewSort, Int32Array>();

  constructor(private rows: readonly ReviewRow[]) {
    this.haystacks = new Array<string | undefined>(rows.length);
  }

  reset(rows: readonly ReviewRow[]): void {
    this.rows = rows;
    this.haystacks = new Array<string | undefined>(rows.length);
    this.orders.clear();
  }

  /** Row `i` was rewritten: its search text is recomputed on next use (orders: see `forgetOrders`). */
  rowChanged(i: number): void {
    this.haystacks[i] = undefined;
  }

  /**
   * Row `i` was rewritten and only it: each order already computed is mended in place (the row
   * taken out and put back where its new key sorts it) instead of being computed again. Its search
   * text is recomputed on next use.
   */
  rowMoved(i: number): void {
    this.haystacks[i] = undefined;
    for (const [sort, order] of this.orders) {
      if (sort === 'name') continue; // the identity: no key but the position
      const n = order.length;
      const from = order.indexOf(i);
      if (from < 0) continue;
      order.copyWithin(from, from + 1);
      const to = insertionPoint(this.rows, sort, order, i, n - 1);
      order.copyWithin(to + 1, to, n - 1);
      order[to] = i;
    }
  }

  /** Where row `i` goes in `list` (row indexes in `sort`'s order, without `i`). */
  insertionPoint(sort: ReviewSort, list: Int32Array, i: number): number {
    return insertionPoint(this.rows, sort, list, i);
  }

  /** The orders whose keys may have changed. */
  forgetOrders(...sorts: ReviewSort[]): void {
    for (const sort of sorts) this.orders.delete(sort);
  }

  searchText(i: number): string {
    let text = this.haystacks[i];
    if (text === undefined) {
      text = rowSearchText(this.rows[i] as ReviewRow);
      this.haystacks[i] = text;
    }
    return text;
  }

  /** Row indexes in the sort's order; ties keep the export order. */
  order(sort: ReviewSort): Int32Array {
    let order = this.orders.get(sort);
    if (!order) {
      order = orderRows(this.rows, sort);
      this.orders.set(sort, order);
    }
    return order;
  }
}
