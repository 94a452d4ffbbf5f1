/**
 * Credentials: read and written only by the background service worker. Kept out of ./index.ts
 * so extension pages never import them by accident.
 */
import type { SiteUrl } from '../model';
import type { CredentialsRecord, Store } from './schema';

export type { CredentialsRecord, OAuthTokens } from './schema';

export async function getCredentials(store: Store, site: SiteUrl): Promise<CredentialsRecord | undefined> {
  return store.db.get('credentials', site);
}

export async function putCredentials(store: Store, credentials: CredentialsRecord): Promise<void> {
  await store.db.put('credentials', credentials);
}

export async function deleteCredentials(store: Store, site: SiteUrl): Promise<void> {
  await store.db.delete('credentials', site);
}
