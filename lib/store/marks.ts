/** Reviewer marks: one per account per site. */
import type { AccountMark, SiteUrl } from '../model';
import type { Store } from './schema';

export async function getMark(store: Store, site: SiteUrl, accountId: string): Promise<AccountMark | undefined> {
  return store.db.get('marks', [site, accountId]);
}

export async function setMark(store: Store, mark: AccountMark): Promise<void> {
  await store.db.put('marks', mark);
}

export async function clearMark(store: Store, site: SiteUrl, accountId: string): Promise<void> {
  await store.db.delete('marks', [site, accountId]);
}

export async function listMarks(store: Store, site: SiteUrl): Promise<AccountMark[]> {
  return store.db.getAllFromIndex('marks', 'site', site);
}
