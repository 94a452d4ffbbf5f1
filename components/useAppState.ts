import { useCallback, useEffect, useState } from 'preact/hooks';
import type { StateResponse, SyncProgress } from '@/lib/messages';
import { errorText, onBroadcast, send } from './messaging';

/**
 * A `getState` sent before the page has rendered anything (the popup sends it as its script
 * starts), with a note of any `stateChanged` heard before `useAppState` listens for itself.
 */
export interface EarlyState {
  answer: Promise<StateResponse>;
  /** A `stateChanged` came after the request was sent: the answer may be older than it. */
  changed: boolean;
  /** Stops listening (useAppState listens from then on). */
  stop(): void;
}

export function prefetchState(): EarlyState {
  const early: EarlyState = { answer: send({ type: 'getState' }), changed: false, stop: () => undefined };
  // Handled (shown) by useAppState; not an unhandled rejection meanwhile.
  early.answer.catch(() => undefined);
  early.stop = onBroadcast((b) => {
    if (b.type === 'stateChanged') early.changed = true;
  });
  return early;
}

/**
 * The background's `getState`, reloaded whenever it broadcasts `stateChanged`; `syncProgress`
 * broadcasts are kept per site so pages can show progress without a reload per batch.
 */
export function useAppState(early?: EarlyState) {
  const [state, setState] = useState<StateResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Record<string, SyncProgress>>({});
  /** Bumped on every `stateChanged`, so dependent views (review, diagnostics) reload too. */
  const [changeCount, setChangeCount] = useState(0);

  const reload = useCallback(async (pending?: Promise<StateResponse>) => {
    try {
      const next = await (pending ?? send({ type: 'getState' }));
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
    const off = onBroadcast((b) => {
      if (b.type === 'syncProgress') {
        setProgress((prev) => ({ ...prev, [b.site]: b.progress }));
      } else if (b.type === 'activityProgress') {
        // Shown from getActivityStatus on the next stateChanged; no reload per batch.
      } else if (b.type === 'stateChanged') {
        setChangeCount((n) => n + 1);
        void reload();
      }
    });
    if (early) {
      // Listening now: the early request's answer, then once more if it may be stale.
      early.stop();
      const staleAlready = early.changed;
      void reload(early.answer).then(() => (staleAlready ? reload() : undefined));
    } else {
      void reload();
    }
    return off;
  }, [reload, early]);

  return { state, error, progress, changeCount, reload };
}
