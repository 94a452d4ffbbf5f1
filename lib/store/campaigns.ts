/**
 * Access reviews in IndexedDB: the campaign record (small: metadata, diff, remediation), its
 * frozen rows in chunks of CAMPAIGN_ROW_CHUNK (written once per freeze) and its decisions in
 * buckets by account id (a decision rewrites one bucket; a bulk decision each bucket once).
 * Few, large records, as the sync stores accounts (README: each request costs about the same
 * whatever its size).
 */
import type { ReviewRow, SiteUrl } from '../model';
import type { CampaignRecord, DecisionRecord } from '../campaign/types';
import { bucketOf } from './buckets';
import { prefixRange } from './keys';
import type { Store } from './schema';

export const CAMPAIGN_ROW_CHUNK = 1000;
/** Decisions per bucket, roughly: a single decision rewrites about this many. */
export const DECISIONS_PER_BUCKET = 250;

export function decisionBucketsFor(accounts: number): number {
  return Math.max(1, Math.ceil(accounts / DECISIONS_PER_BUCKET));
}

export async function getCampaign(store: Store, id: string): Promise<CampaignRecord | undefined> {
  return store.db.get('campaigns', id);
}

/** The site's reviews, oldest first. */
export async function listCampaigns(store: Store, site: SiteUrl): Promise<CampaignRecord[]> {
  const all = await store.db.getAllFromIndex('campaigns', 'site', site);
  return all.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
}

export async function putCampaign(store: Store, campaign: CampaignRecord): Promise<void> {
  await store.db.put('campaigns', campaign);
}

/**
 * Writes a campaign with (new) frozen rows and its decisions, replacing any rows and decisions
 * it had, in one transaction: a refresh is all or nothing.
 */
export async function writeCampaign(
  store: Store,
  campaign: CampaignRecord,
  rows: readonly ReviewRow[] | null,
  decisions: readonly DecisionRecord[] | null,
): Promise<void> {
  const tx = store.db.transaction(['campaigns', 'campaignRows', 'campaignDecisions'], 'readwrite');
  const writes: Promise<unknown>[] = [tx.objectStore('campaigns').put(campaign)];
  if (rows) {
    writes.push(tx.objectStore('campaignRows').delete(prefixRange(campaign.id)));
    for (let c = 0; c * CAMPAIGN_ROW_CHUNK < rows.length || c === 0; c++) {
      writes.push(
        tx.objectStore('campaignRows').put({
          site: campaign.site,
          campaignId: campaign.id,
          chunk: c,
          rows: rows.slice(c * CAMPAIGN_ROW_CHUNK, (c + 1) * CAMPAIGN_ROW_CHUNK) as ReviewRow[],
        }),
      );
    }
  }
  if (decisions) {
    writes.push(tx.objectStore('campaignDecisions').delete(prefixRange(campaign.id)));
    const buckets: DecisionRecord[][] = Array.from({ length: campaign.decisionBuckets }, () => []);
    for (const d of decisions) buckets[bucketOf(d.accountId, campaign.decisionBuckets)]?.push(d);
    buckets.forEach((list, bucket) =>
      writes.push(tx.objectStore('campaignDecisions').put({ site: campaign.site, campaignId: campaign.id, bucket, decisions: list })),
    );
  }
  await Promise.all([...writes, tx.done]);
}

export async function readCampaignRows(store: Store, campaignId: string): Promise<ReviewRow[]> {
  const chunks = await store.db.getAll('campaignRows', prefixRange(campaignId));
  return chunks.sort((a, b) => a.chunk - b.chunk).flatMap((c) => c.rows);
}

export async function readDecisions(store: Store, campaignId: string): Promise<DecisionRecord[]> {
  const chunks = await store.db.getAll('campaignDecisions', prefixRange(campaignId));
  return chunks.flatMap((c) => c.decisions);
}

/**
 * Stores decisions (replacing earlier ones of the same accounts): each touched bucket is read
 * and written once, in one transaction.
 */
export async function putDecisions(store: Store, campaign: CampaignRecord, decisions: readonly DecisionRecord[]): Promise<void> {
  const byBucket = new Map<number, DecisionRecord[]>();
  for (const d of decisions) {
    const b = bucketOf(d.accountId, campaign.decisionBuckets);
    byBucket.set(b, [...(byBucket.get(b) ?? []), d]);
  }
  const tx = store.db.transaction('campaignDecisions', 'readwrite');
  const chunks = await Promise.all([...byBucket.keys()].map((b) => tx.store.get([campaign.id, b])));
  const writes: Promise<unknown>[] = [];
  [...byBucket.entries()].forEach(([bucket, changes], i) => {
    const current = new Map((chunks[i]?.decisions ?? []).map((d) => [d.accountId, d]));
    for (const d of changes) current.set(d.accountId, d);
    writes.push(tx.store.put({ site: campaign.site, campaignId: campaign.id, bucket, decisions: [...current.values()] }));
  });
  await Promise.all([...writes, tx.done]);
}
