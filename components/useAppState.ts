import { useCallback, useEffect, useState } from 'preact/hooks';
import type { StateResponse, SyncProgress } from '@/lib/messages';
import { errorText, onBroadcast, send } from './messaging';

/**
 * The background's `getState`, reloaded whenever it broadcasts `stateChanged`; `syncProgress`
 * broadcasts are kept per site so pages can show progress without a reload per batch.
 */
export function useAppState() {
  const [state, setState] = useState<StateResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Record<string, SyncProgress>>({});
  /** Bumped on every `stateChanged`, so dependent views (review, diagnostics) reload too. */
  const [changeCount, setChangeCount] = useState(0);

  const reload = useCallback(async () => {
    try {
      const next = await send({ type: 'getState' });
      setState(next);
      setError(null);
      // A finished sync no longer has `sync`; drop its stale broadcast progress.
      setProgress((prev) => {
        const kept: Record<string, SyncProgress> = {};
        for (const s of next.sites) {
          const p = prev[s.site];
          if (s.sync && p) kept[s.site] = p;
        }
        return kept;
      });
    } catch (e) {
      setError(errorText(e));
    }
  }, []);

  useEffect(() => {
    void reload();
    return onBroadcast((b) => {
      if (b.type === 'syncProgress') {
        setProgress((prev) => ({ ...prev, [b.site]: b.progress }));
      } else if (b.type === 'activityProgress') {
        // Shown from getActivityStatus on the next stateChanged; no reload per batch.
      } else if (b.type === 'stateChanged') {
        setChangeCount((n) => n + 1);
        void reload();
      }
    });
  }, [reload]);

  return { state, error, progress, changeCount, reload };
}
