/**
 * Appending to the audit log (lib/audit/chain.ts): one hash chain per site, appends to a chain
 * one at a time (the hash of the previous entry is needed before the next can be written, and
 * SHA-256 is asynchronous, so it cannot happen inside one IndexedDB transaction). An event of
 * no site (a roster import, which every site is matched against) goes to every connected site's
 * chain, or to the '' chain when none is connected. The actor is the site's connected account.
 */
import { nextEntry, type AuditActor, type AuditDetails, type AuditKind } from '../audit/chain';
import type { SiteUrl } from '../model';
import { appendAuditEntry, getAuditHead } from '../store/audit';
import { getConnection, listConnections } from '../store/connections';
import type { Store } from '../store/schema';
import { createKeyedQueue } from './keyed-queue';

export type AuditFn = (site: SiteUrl | null, kind: AuditKind, details: AuditDetails, actor?: AuditActor) => Promise<void>;

export function createAuditLog(store: () => Promise<Store>, nowIso: () => string): { append: AuditFn; idle(): Promise<void> } {
  // One chain's appends one at a time: each needs the hash of the entry before it.
  const appends = createKeyedQueue();

  async function appendTo(chain: string, kind: AuditKind, details: AuditDetails, actor: AuditActor | undefined): Promise<void> {
    const s = await store();
    const who: AuditActor = actor ?? { name: (chain ? (await getConnection(s, chain))?.connectedAs : null) ?? 'unknown', accountId: null };
    for (let attempt = 0; attempt < 5; attempt++) {
      const head = await getAuditHead(s, chain);
      const entry = await nextEntry(head, { chain, at: nowIso(), actor: who, kind, details });
      if (await appendAuditEntry(s, entry, head)) return;
    }
    throw new Error(`The audit log of ${chain || 'this browser'} is busy: the ${kind} entry could not be written.`);
  }

  return {
    async append(site, kind, details, actor) {
      const chains = site !== null ? [site] : (await listConnections(await store())).map((c) => c.site);
      await Promise.all((chains.length > 0 ? chains : ['']).map((chain) => appends.run(chain, () => appendTo(chain, kind, details, actor))));
    },
    async idle() {
      await appends.idle();
    },
  };
}
