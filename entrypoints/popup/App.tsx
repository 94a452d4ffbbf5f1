import { useEffect, useState } from 'preact/hooks';
import type { SiteFix } from '@/lib/messages';
import { SiteStatus } from '@/components/SiteStatus';
import { ErrorText } from '@/components/useAction';
import { useAppState, type EarlyState } from '@/components/useAppState';
import { errorText, send } from '@/components/messaging';
import { currentWindowId, openOptionsPage, openOptionsSection, openSidePanel, type OptionsSection } from '@/components/browserActions';

export interface PopupActions {
  openSidePanel: (windowId: number | undefined) => Promise<void>;
  openOptionsPage: () => Promise<void>;
  /** The options page at a section: the connect form (Reconnect) or a site's groups. */
  openOptionsSection?: (section: OptionsSection, site: string) => Promise<void>;
  currentWindowId: () => Promise<number | undefined>;
}

const browserPopupActions: PopupActions = { openSidePanel, openOptionsPage, openOptionsSection, currentWindowId };

const FIX_SECTION: Record<SiteFix, OptionsSection> = { reconnect: 'connect', groups: 'groups' };

/** `early`: the popup's `getState`, sent as its script starts (see main.tsx). */
export function PopupApp({ actions = browserPopupActions, early }: { actions?: PopupActions; early?: EarlyState }) {
  const { state, error, progress } = useAppState(early);
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
      {state?.sites.map((s) => (
        <SiteStatus
          key={s.site}
          summary={s}
          progress={progress[s.site] ?? null}
          actions={{
            openSidePanel: (site) => {
              // Tell the panel which site first, then open it in this click's user gesture (no await before open()).
              void send({ type: 'focusPanel', site, windowId: windowId ?? null }).catch(() => undefined);
              void report(actions.openSidePanel(windowId));
            },
            fix: (site, fix) => {
              const open = actions.openOptionsSection ?? (() => actions.openOptionsPage());
              void report(open(FIX_SECTION[fix], site));
            },
          }}
        />
      ))}
      {state && state.sites.length > 0 && (
        <div class="row">
          <button type="button" onClick={() => report(actions.openOptionsPage())}>
            Settings
          </button>
        </div>
      )}
      <ErrorText text={actionError} />
    </main>
  );
}
