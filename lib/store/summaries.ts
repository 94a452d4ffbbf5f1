/** Stored review counts per site (see ReviewSummaryRecord). */
import type { SiteUrl } from '../model';
import type { ReviewSummaryRecord, Store } from './schema';

export async function putReviewSummary(store: Store, summary: ReviewSummaryRecord): Promise<void> {
  await store.db.put('reviewSummaries', summary);
}

export async function listReviewSummaries(store: Store): Promise<Map<SiteUrl, ReviewSummaryRecord>> {
  return new Map((await store.db.getAll('reviewSummaries')).map((s) => [s.site, s]));
}
