import { useEffect, useState } from 'preact/hooks';
import { SiteStatus } from '@/components/SiteStatus';
import { ErrorText } from '@/components/useAction';
import { useAppState } from '@/components/useAppState';
import { errorText } from '@/components/messaging';
import { currentWindowId, openOptionsPage, openSidePanel } from '@/components/browserActions';

export interface PopupActions {
  openSidePanel: (windowId: number | undefined) => Promise<void>;
  openOptionsPage: () => Promise<void>;
  currentWindowId: () => Promise<number | undefined>;
}

const browserPopupActions: PopupActions = { openSidePanel, openOptionsPage, currentWindowId };

export function PopupApp({ actions = browserPopupActions }: { actions?: PopupActions }) {
  const { state, error, progress } = useAppState();
  const [windowId, setWindowId] = useState<number | undefined>(undefined);
  const [actionError, setActionError] = useState<string | null>(null);

  useEffect(() => {
    void actions.currentWindowId().then(setWindowId);
  }, [actions]);

  const report = (p: Promise<void>) => p.catch((e: unknown) => setActionError(errorText(e)));

  return (
    <main>
      <h1>Access Lens</h1>
      <ErrorText text={error} />
      {!state && !error && <p role="status">Loading…</p>}
      {state && state.sites.length === 0 && (
        <>
          <p>No site connected. Connect your Confluence Cloud site to start a review.</p>
          <button type="button" class="primary" onClick={() => report(actions.openOptionsPage())}>
            Connect a site
          </button>
        </>
      )}
      {state?.sites.map((s) => <SiteStatus key={s.site} summary={s} progress={progress[s.site] ?? null} />)}
      {state && state.sites.length > 0 && (
        <div class="row">
          {/* No await before open(): the side panel needs the click's user gesture. */}
          <button type="button" onClick={() => report(actions.openSidePanel(windowId))}>
            Open side panel
          </button>
          <button type="button" onClick={() => report(actions.openOptionsPage())}>
            Settings
          </button>
        </div>
      )}
      <ErrorText text={actionError} />
    </main>
  );
}
