/** Finding interrupted runs and removing snapshots nobody shows or fills. */
import type { SiteUrl } from '../model';
import { listRunningRuns } from '../store/runs';
import type { Store, StoredSyncRun } from '../store/schema';
import { deleteSnapshot, deleteSyncWork, listSnapshotIds } from '../store/snapshots';

/**
 * The site's run left `running` by a killed service worker (newest first), to pass as
 * `runSync({ runId })`. Undefined when there is none.
 */
export async function findResumableRun(store: Store, site: SiteUrl): Promise<StoredSyncRun | undefined> {
  return (await listRunningRuns(store, site)).find((r) => r.checkpoint !== null);
}

/**
 * Deletes every stored snapshot that is neither some site's active snapshot nor being filled by
 * a `running` run: partial snapshots of failed runs, and old snapshots whose deletion after a
 * switch was interrupted. `site` only names who asked; orphans are global by nature. Returns the
 * deleted snapshot ids.
 */
export async function collectGarbage(store: Store, _site?: SiteUrl): Promise<string[]> {
  const active = new Set<string>();
  for (const connection of await store.db.getAll('connections')) {
    if (connection.activeSnapshotId) active.add(connection.activeSnapshotId);
  }
  const filling = new Set<string>();
  for (const run of await store.db.getAll('syncRuns')) {
    if (run.status === 'running' && run.checkpoint) filling.add(run.checkpoint.snapshotId);
  }
  const doomed: string[] = [];
  for (const id of await listSnapshotIds(store)) {
    if (filling.has(id)) continue;
    if (active.has(id)) {
      // Pages or fragments left behind when the post-switch cleanup was interrupted.
      await deleteSyncWork(store, id);
      continue;
    }
    await deleteSnapshot(store, id);
    doomed.push(id);
  }
  return doomed;
}
