/**
 * An access review held in memory: the frozen rows (in export order), the decisions and the
 * diff tags, answering the side panel's paged queries like the live review model does, with the
 * review's own filters ("Undecided", "New since last review"). Later syncs, roster imports and
 * marks never reach it: only decisions and "Refresh snapshot" change it. Pure.
 */
import type { ReviewRow } from '../model';
import { foldForSearch } from '../search-fold';
import {
  REVIEW_FILTERS,
  emptyCounts,
  filterBit,
  filterBits,
  type FilterCounts,
  type ReviewFilter,
  type ReviewSort,
} from '../review/filters';
import { RowLookups } from '../review/order';
import { diffIndex } from './diff';
import { inReview } from './rules';
import type { CampaignRecord, DecisionRecord, DiffField, DiffTag } from './types';

export interface CampaignQuery {
  filter: ReviewFilter;
  search: string;
  sort: ReviewSort;
  offset: number;
  limit: number;
}

export interface CampaignPage {
  total: number;
  counts: FilterCounts;
  offset: number;
  rows: ReviewRow[];
}

const UNDECIDED = filterBit('undecided');
const NEW = filterBit('new');

export class CampaignModel {
  record: CampaignRecord;
  private rowList: readonly ReviewRow[];
  private readonly position = new Map<string, number>();
  private readonly decisionMap: Map<string, DecisionRecord>;
  private baseBits: Uint16Array;
  private readonly lookups: RowLookups;
  private decidedCount = 0;
  private diffOf: (accountId: string) => { tag: DiffTag; fields: DiffField[] } | null;

  /** `rows` in export order (display name case-insensitively, then account id). */
  constructor(record: CampaignRecord, rows: readonly ReviewRow[], decisions: Iterable<DecisionRecord>) {
    this.record = record;
    this.rowList = rows;
    this.decisionMap = new Map();
    this.baseBits = new Uint16Array(0);
    this.lookups = new RowLookups(rows);
    this.diffOf = diffIndex(record.diff);
    this.index();
    for (const d of decisions) if (this.position.has(d.accountId)) this.decisionMap.set(d.accountId, d);
    this.recount();
  }

  private index(): void {
    this.position.clear();
    this.rowList.forEach((r, i) => this.position.set(r.account.accountId, i));
    const n = this.rowList.length;
    this.baseBits = new Uint16Array(n);
    this.lookups.reset(this.rowList);
    for (let i = 0; i < n; i++) {
      const row = this.rowList[i] as ReviewRow;
      let bits = filterBits(row);
      if (this.diffOf(row.account.accountId)?.tag === 'new') bits |= NEW;
      this.baseBits[i] = bits;
    }
  }

  private recount(): void {
    let n = 0;
    for (const [id] of this.decisionMap) {
      const i = this.position.get(id);
      if (i !== undefined && inReview(this.rowList[i] as ReviewRow)) n++;
    }
    this.decidedCount = n;
  }

  /** A new snapshot (Refresh snapshot): decisions of accounts no longer present are dropped. */
  replace(record: CampaignRecord, rows: readonly ReviewRow[]): void {
    this.record = record;
    this.rowList = rows;
    this.diffOf = diffIndex(record.diff);
    this.index();
    for (const id of [...this.decisionMap.keys()]) if (!this.position.has(id)) this.decisionMap.delete(id);
    this.recount();
  }

  rows(): readonly ReviewRow[] {
    return this.rowList;
  }

  row(accountId: string): ReviewRow | undefined {
    const i = this.position.get(accountId);
    return i === undefined ? undefined : this.rowList[i];
  }

  decision(accountId: string): DecisionRecord | null {
    return this.decisionMap.get(accountId) ?? null;
  }

  decisions(): ReadonlyMap<string, DecisionRecord> {
    return this.decisionMap;
  }

  diff(accountId: string): { tag: DiffTag; fields: DiffField[] } | null {
    return this.diffOf(accountId);
  }

  setDecisions(records: readonly DecisionRecord[]): void {
    for (const d of records) if (this.position.has(d.accountId)) this.decisionMap.set(d.accountId, d);
    this.recount();
  }

  get decided(): number {
    return this.decidedCount;
  }

  get inReview(): number {
    return this.record.inReview;
  }

  /** Rows matching a filter and search, in export order (what a bulk decision applies to). */
  matching(filter: ReviewFilter, search: string): ReviewRow[] {
    return this.scan({ filter, search, sort: 'name', offset: 0, limit: Number.MAX_SAFE_INTEGER }, true).rows;
  }

  query(q: CampaignQuery): CampaignPage {
    return this.scan(q, false);
  }

  private bitsAt(i: number): number {
    let bits = this.baseBits[i] as number;
    const row = this.rowList[i] as ReviewRow;
    if (inReview(row) && !this.decisionMap.has(row.account.accountId)) bits |= UNDECIDED;
    return bits;
  }

  private scan(q: CampaignQuery, all: boolean): CampaignPage {
    const needle = foldForSearch(q.search);
    const wanted = filterBit(q.filter);
    const order = this.lookups.order(q.sort);
    const counts = emptyCounts();
    const perBit = REVIEW_FILTERS.map((f) => [filterBit(f), f] as const);
    const rows: ReviewRow[] = [];
    let total = 0;
    for (let k = 0; k < order.length; k++) {
      const i = order[k] as number;
      if (needle !== '' && !this.lookups.searchText(i).includes(needle)) continue;
      const bits = this.bitsAt(i);
      if (!all) for (const [bit, filter] of perBit) if (bits & bit) counts[filter]++;
      if (!(bits & wanted)) continue;
      if (total >= q.offset && rows.length < q.limit) rows.push(this.rowList[i] as ReviewRow);
      total++;
    }
    return { total, counts, offset: q.offset, rows };
  }
}
