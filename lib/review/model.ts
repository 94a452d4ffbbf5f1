/**
 * The review of one site, kept warm in the background: built once from the active snapshot, the
 * roster and the marks, then updated in place. A mark re-matches one account; a settings or date
 * change recomputes flags without matching; a roster change re-matches every account but keeps
 * the accounts. The side panel reads it in pages (`query`), the popup through `counts()` stored as
 * a summary, exports through `rows()`.
 *
 * Rows are kept in export order (display name case-insensitively, then account id), so the
 * expensive sort happens once per snapshot; the other sort orders are bucket passes over it.
 */
import type { ActivityFacts } from '../activity/types';
import type { GroupRef, MatchResult, OwnerMark, Person, ReviewRow, ReviewSettings, SiteUrl, SyncedAccount } from '../model';
import { indexRoster, matchAccount, type RosterIndex } from '../match/match-accounts';
import { foldForSearch } from '../search-fold';
import { reviewRow } from './build-review';
import { RowLookups, rowSearchText } from './order';
import {
  REVIEW_FILTERS,
  emptyCounts,
  filterBit,
  filterBits,
  type FilterCounts,
  type ReviewFilter,
  type ReviewSort,
} from './filters';

/** The roster as matching needs it, shared by every site's model. */
export interface RosterContext {
  /** Identifies this roster (its import time); '' for no roster. */
  key: string;
  index: RosterIndex;
  /** In file order. */
  people: readonly Person[];
}

export function rosterContext(key: string, people: readonly Person[]): RosterContext {
  return { key, index: indexRoster(people), people };
}

export interface ReviewModelInput {
  site: SiteUrl;
  /** The snapshot the accounts come from. */
  snapshotId: string;
  accounts: readonly SyncedAccount[];
  roster: RosterContext;
  marks: ReadonlyMap<string, OwnerMark>;
  settings: ReviewSettings;
  today: string;
  /** Last activity and 2SV per account id (lib/activity mergeActivity); absent: nothing known. */
  activity?: ReadonlyMap<string, ActivityFacts>;
}

export interface ReviewQuery {
  filter: ReviewFilter;
  /** Matched (case and accents ignored) against name, email, account id, groups and owner. */
  search: string;
  sort: ReviewSort;
  offset: number;
  limit: number;
  /** Only members of this monitored group: its id, or its name (case ignored). */
  group?: string | null;
}

export interface ReviewPage {
  /** Rows matching the filter and search. */
  total: number;
  /** Per filter, the rows matching the search. */
  counts: FilterCounts;
  offset: number;
  rows: ReviewRow[];
  /** The group the query was limited to; null when none was asked for or none has that id or name. */
  group: GroupRef | null;
}

/** Work counters, for tests that check what an action costs. */
export interface ReviewModelStats {
  builds: number;
  /** Accounts run through matching. */
  matched: number;
}

/** Views kept by `matching`: the panel's current one, the one before, and the popup's counts. */
const MAX_CACHED_VIEWS = 6;

/** One view's rows and counts (see `ReviewModel.matching`), with what defines it. */
interface CachedView {
  sort: ReviewSort;
  filter: ReviewFilter;
  /** The group's id, '' for none. */
  groupId: string;
  /** The folded search, '' for none. */
  needle: string;
  matching: Int32Array;
  counts: FilterCounts;
}

const viewKey = (version: number, sort: ReviewSort, filter: ReviewFilter, groupId: string, needle: string) =>
  `${version}|${sort}|${filter}|${groupId}|${needle}`;

function exportKey(a: SyncedAccount): string {
  return a.displayName.toLowerCase();
}

/** Plain code-unit order, as the export sorts (the same whatever the locale). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The accounts in export order (lower-case display name, then account id). Each key is made once,
 * not in every comparison: at 100,000 accounts lower-casing inside the comparator was a third of
 * building the model.
 */
function inExportOrder(accounts: readonly SyncedAccount[]): SyncedAccount[] {
  const keys = accounts.map(exportKey);
  const order = Array.from({ length: accounts.length }, (_, i) => i);
  order.sort((i, j) => {
    const a = accounts[i] as SyncedAccount;
    const b = accounts[j] as SyncedAccount;
    return compareText(keys[i] as string, keys[j] as string) || compareText(a.accountId, b.accountId);
  });
  return order.map((i) => accounts[i] as SyncedAccount);
}

export class ReviewModel {
  readonly site: SiteUrl;
  readonly snapshotId: string;
  /** Bumped by every change, so caches of derived data (exports) know when they are stale. */
  version = 0;
  private roster: RosterContext;
  private settings: ReviewSettings;
  private today: string;
  private readonly marks: Map<string, OwnerMark>;
  private activity: ReadonlyMap<string, ActivityFacts>;
  private readonly accounts: SyncedAccount[];
  private readonly position = new Map<string, number>();
  private matches: MatchResult[] = [];
  private rowList: ReviewRow[] = [];
  private bits = new Uint16Array(0);
  private lookups = new RowLookups([]);
  /** Recent views' matching rows (see `matching`), keyed by version and view. */
  private readonly views = new Map<string, CachedView>();
  /** Monitored groups by id and by lower-case name (accounts do not change within a snapshot). */
  private groupIndex: Map<string, GroupRef> | null = null;

  constructor(input: ReviewModelInput, private readonly stats: ReviewModelStats = { builds: 0, matched: 0 }) {
    this.site = input.site;
    this.snapshotId = input.snapshotId;
    this.roster = input.roster;
    this.settings = input.settings;
    this.today = input.today;
    this.marks = new Map(input.marks);
    this.activity = input.activity ?? new Map();
    this.accounts = inExportOrder(input.accounts);
    this.accounts.forEach((a, i) => this.position.set(a.accountId, i));
    this.stats.builds++;
    this.rematchAll();
  }

  get rosterKey(): string {
    return this.roster.key;
  }

  get size(): number {
    return this.accounts.length;
  }

  /** Every row, in export order. */
  rows(): readonly ReviewRow[] {
    return this.rowList;
  }

  row(accountId: string): ReviewRow | undefined {
    const i = this.position.get(accountId);
    return i === undefined ? undefined : this.rowList[i];
  }

  /** A mark was set (or cleared, `null`): re-match that account only. False if it is not in the snapshot. */
  setMark(accountId: string, mark: OwnerMark | null): boolean {
    const i = this.position.get(accountId);
    if (i === undefined) return false;
    if (mark) this.marks.set(accountId, mark);
    else this.marks.delete(accountId);
    const before = this.rowList[i] as ReviewRow;
    const bitsBefore = this.bits[i] as number;
    this.rematch(i);
    // One row changed: the sort orders and the cached views are mended, not computed again (a
    // pass over 100,000 rows per view would hold up the side panel's next page after every mark).
    this.lookups.rowMoved(i);
    this.carryViews(i, before, bitsBefore);
    this.version++;
    return true;
  }

  /**
   * Brings the cached views of this version up to date with row `i`, which was `before` (its
   * filter bits `bitsBefore`), and keys them for the next version. Gives exactly what `matching`
   * computes from scratch (test/unit/review/model.test.ts compares them over random marks).
   */
  private carryViews(i: number, before: ReviewRow, bitsBefore: number): void {
    const prefix = `${this.version}|`;
    const carried: [string, CachedView][] = [];
    const account = this.accounts[i] as SyncedAccount;
    const bitsAfter = this.bits[i] as number;
    let textBefore: string | null = null;
    for (const [key, view] of this.views) {
      if (!key.startsWith(prefix)) continue;
      const next = { ...view, counts: { ...view.counts } };
      carried.push([viewKey(this.version + 1, view.sort, view.filter, view.groupId, view.needle), next]);
      // Group membership comes from the account, which a mark does not change.
      if (view.groupId !== '' && !account.groups.some((g) => g.id === view.groupId)) continue;
      let passedBefore = true;
      let passesNow = true;
      if (view.needle !== '') {
        textBefore ??= rowSearchText(before);
        passedBefore = textBefore.includes(view.needle);
        passesNow = this.lookups.searchText(i).includes(view.needle);
      }
      for (let f = 0; f < REVIEW_FILTERS.length; f++) {
        const filter = REVIEW_FILTERS[f] as ReviewFilter;
        if (passedBefore && bitsBefore & (1 << f)) next.counts[filter]--;
        if (passesNow && bitsAfter & (1 << f)) next.counts[filter]++;
      }
      const wanted = filterBit(view.filter);
      // In place: a view's list is a window on a buffer with room for every row (see `matching`),
      // and the view of the old version is dropped. (Allocating 100,000-row arrays per view per
      // mark costs milliseconds each.)
      let matching = view.matching;
      if (passedBefore && bitsBefore & wanted) {
        const at = matching.indexOf(i);
        if (at >= 0) {
          matching.copyWithin(at, at + 1);
          matching = matching.subarray(0, matching.length - 1);
        }
      }
      if (passesNow && bitsAfter & wanted) {
        const at = this.lookups.insertionPoint(view.sort, matching, i);
        const length = matching.length + 1;
        let grown: Int32Array;
        if (matching.byteOffset + length * Int32Array.BYTES_PER_ELEMENT <= matching.buffer.byteLength) {
          grown = new Int32Array(matching.buffer, matching.byteOffset, length);
        } else {
          grown = new Int32Array(this.accounts.length);
          grown.set(matching);
          grown = grown.subarray(0, length);
        }
        grown.copyWithin(at + 1, at, length - 1);
        grown[at] = i;
        matching = grown;
      }
      next.matching = matching;
    }
    this.views.clear();
    for (const [key, view] of carried) this.views.set(key, view);
  }

  /** A new roster: every account is matched again. */
  setRoster(roster: RosterContext): void {
    if (roster === this.roster) return;
    this.roster = roster;
    this.rematchAll();
  }

  /** Settings or the date changed: flags are recomputed, matches stay. */
  setContext(settings: ReviewSettings, today: string): void {
    if (today === this.today && JSON.stringify(settings) === JSON.stringify(this.settings)) return;
    this.settings = settings;
    this.today = today;
    for (let i = 0; i < this.accounts.length; i++) this.refreshRow(i);
    this.lookups.forgetOrders('severity');
    this.version++;
  }

  /** New activity data (an import, a fetch): flags are recomputed, matches stay. */
  setActivity(activity: ReadonlyMap<string, ActivityFacts>): void {
    this.activity = activity;
    for (let i = 0; i < this.accounts.length; i++) this.refreshRow(i);
    this.lookups.forgetOrders('severity', 'activity');
    this.version++;
  }

  get contextKey(): string {
    return `${this.today}|${JSON.stringify(this.settings)}`;
  }

  /** Counts per filter over every row (what the popup shows). */
  counts(): FilterCounts {
    return this.query({ filter: 'review', search: '', sort: 'name', offset: 0, limit: 0 }).counts;
  }

  /**
   * Folds the search text of `count` rows from `from` ahead of the first search (the background
   * does it in small slices when it is idle); returns where to go on, or -1 when every row is done.
   */
  prepareSearch(from: number, count: number): number {
    const end = Math.min(this.accounts.length, from + count);
    for (let i = from; i < end; i++) this.lookups.searchText(i);
    return end >= this.accounts.length ? -1 : end;
  }

  /** A monitored group of this snapshot by id, else by name (case ignored). */
  findGroup(key: string): GroupRef | null {
    if (!this.groupIndex) {
      const index = new Map<string, GroupRef>();
      for (const a of this.accounts) {
        for (const g of a.groups) {
          if (!index.has(g.id)) index.set(g.id, g);
          const byName = `name:${g.name.toLowerCase()}`;
          if (!index.has(byName)) index.set(byName, g);
        }
      }
      this.groupIndex = index;
    }
    return this.groupIndex.get(key) ?? this.groupIndex.get(`name:${key.toLowerCase()}`) ?? null;
  }

  query(q: ReviewQuery): ReviewPage {
    const group = q.group ? this.findGroup(q.group) : null;
    // A group that is not monitored (or not in this snapshot) has no members here.
    if (q.group && !group) return { total: 0, counts: emptyCounts(), offset: q.offset, rows: [], group: null };
    const { matching, counts } = this.matching(q, group);
    const rows: ReviewRow[] = [];
    const end = Math.min(matching.length, q.offset + q.limit);
    for (let k = q.offset; k < end; k++) rows.push(this.rowList[matching[k] as number] as ReviewRow);
    return { total: matching.length, counts: { ...counts }, offset: q.offset, rows, group };
  }

  /**
   * The rows of a view (filter, search, group, sort) in order, and the counts per filter, cached
   * until the next change: the side panel asks for one page after another of the same view, and
   * each page is then a slice instead of a pass over every row.
   */
  private matching(q: ReviewQuery, group: GroupRef | null): { matching: Int32Array; counts: FilterCounts } {
    const needle = foldForSearch(q.search);
    const key = viewKey(this.version, q.sort, q.filter, group?.id ?? '', needle);
    const cached = this.views.get(key);
    if (cached) {
      // Most recently used last.
      this.views.delete(key);
      this.views.set(key, cached);
      return cached;
    }
    const wanted = filterBit(q.filter);
    const order = this.lookups.order(q.sort);
    // Rows per filter bit (bit f = REVIEW_FILTERS[f]), tallied per distinct bit set first.
    const perBits = new Map<number, number>();
    const matching = new Int32Array(order.length);
    let total = 0;
    for (let k = 0; k < order.length; k++) {
      const i = order[k] as number;
      if (group && !(this.accounts[i] as SyncedAccount).groups.some((g) => g.id === group.id)) continue;
      if (needle !== '' && !this.lookups.searchText(i).includes(needle)) continue;
      const bits = this.bits[i] as number;
      perBits.set(bits, (perBits.get(bits) ?? 0) + 1);
      if (bits & wanted) matching[total++] = i;
    }
    const counts = emptyCounts();
    for (const [bits, rows] of perBits) {
      for (let f = 0; f < REVIEW_FILTERS.length; f++) if (bits & (1 << f)) counts[REVIEW_FILTERS[f] as ReviewFilter] += rows;
    }
    // A window on the whole buffer: a mark can then add a row in place (carryViews).
    const view: CachedView = { sort: q.sort, filter: q.filter, groupId: group?.id ?? '', needle, matching: matching.subarray(0, total), counts };
    for (const k of this.views.keys()) if (!k.startsWith(`${this.version}|`)) this.views.delete(k);
    this.views.set(key, view);
    while (this.views.size > MAX_CACHED_VIEWS) this.views.delete(this.views.keys().next().value as string);
    return view;
  }

  private rematchAll(): void {
    const n = this.accounts.length;
    this.matches = new Array<MatchResult>(n);
    this.rowList = new Array<ReviewRow>(n);
    this.bits = new Uint16Array(n);
    this.lookups.reset(this.rowList);
    for (let i = 0; i < n; i++) this.rematch(i);
    this.version++;
  }

  private rematch(i: number): void {
    const account = this.accounts[i] as SyncedAccount;
    this.matches[i] = matchAccount(account, this.roster.index, this.marks.get(account.accountId));
    this.stats.matched++;
    this.refreshRow(i);
  }

  private refreshRow(i: number): void {
    const account = this.accounts[i] as SyncedAccount;
    const row = reviewRow(
      account,
      this.matches[i] as MatchResult,
      this.roster.index.byId,
      this.marks.get(account.accountId) ?? null,
      this.settings,
      this.today,
      this.activity.get(account.accountId),
    );
    this.rowList[i] = row;
    this.bits[i] = filterBits(row);
    this.lookups.rowChanged(i);
  }
}
