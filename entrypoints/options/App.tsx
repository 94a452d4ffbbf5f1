import { useEffect, useMemo, useState } from 'preact/hooks';
import { ConnectForm } from '@/components/ConnectForm';
import { ConnectedSites } from '@/components/ConnectedSites';
import { GroupPicker } from '@/components/GroupPicker';
import { RosterImport } from '@/components/RosterImport';
import { ActivitySources } from '@/components/ActivitySources';
import { SettingsForm } from '@/components/SettingsForm';
import { Diagnostics } from '@/components/Diagnostics';
import { AuditLog } from '@/components/AuditLog';
import { SiteSelect } from '@/components/SiteSelect';
import { ErrorText } from '@/components/useAction';
import { useAppState } from '@/components/useAppState';

/** `#connect=<site>` (the popup's "Reconnect") or `#groups=<site>` ("Edit tracked groups"). */
export function optionsTarget(hash: string): { section: 'connect' | 'groups'; site: string } | null {
  const m = /^#(connect|groups)=(.*)$/.exec(hash);
  if (!m) return null;
  try {
    return { section: m[1] as 'connect' | 'groups', site: decodeURIComponent(m[2] as string) };
  } catch {
    return null;
  }
}

export function OptionsApp() {
  const { state, error, changeCount, reload } = useAppState();
  const target = useMemo(() => optionsTarget(typeof location === 'undefined' ? '' : location.hash), []);
  const [siteChoice, setSiteChoice] = useState<string | null>(target?.section === 'groups' ? target.site : null);
  const sites = state?.sites ?? [];
  const current = sites.find((s) => s.site === siteChoice) ?? sites[0] ?? null;

  // Arriving from the popup's fix: bring that section into view and put the keyboard there.
  const loaded = state !== null;
  useEffect(() => {
    if (!target || !loaded) return;
    const el = document.getElementById(target.section === 'connect' ? 'connect-site' : 'h-groups');
    el?.scrollIntoView({ block: 'start' });
    el?.focus({ preventScroll: true });
  }, [loaded]);

  useEffect(() => {
    if (siteChoice && state && !state.sites.some((s) => s.site === siteChoice)) setSiteChoice(null);
  }, [state, siteChoice]);

  return (
    <main>
      <h1>Access Lens — settings</h1>
      <ErrorText text={error} />
      {!state && !error && <p role="status">Loading…</p>}
      {state && (
        <>
          <section aria-labelledby="h-connection">
            <h2 id="h-connection">Connection</h2>
            <ConnectedSites sites={sites} onChanged={reload} />
            <h3>Connect a site</h3>
            <ConnectForm
              callbackUrl={state.callbackUrl}
              initialSite={target?.section === 'connect' ? target.site : ''}
              onConnected={(site) => {
                setSiteChoice(site);
                void reload();
              }}
            />
          </section>

          {current && sites.length > 1 && (
            <section aria-label="Site selection">
              <SiteSelect sites={sites} value={current.site} onChange={setSiteChoice} />
              <p class="muted">Groups, sync interval and diagnostics below are for this site.</p>
            </section>
          )}

          <section aria-labelledby="h-groups">
            <h2 id="h-groups" tabIndex={-1}>Groups{current ? ` — ${current.siteName}` : ''}</h2>
            {current ? (
              <GroupPicker key={current.site} site={current.site} trackedGroupIds={current.selectedGroupIds} onSaved={reload} />
            ) : (
              <p class="muted">Connect a site to choose the groups to review.</p>
            )}
          </section>

          <section aria-labelledby="h-roster">
            <h2 id="h-roster">Roster</h2>
            <RosterImport roster={state.roster} onImported={() => void reload()} />
          </section>

          <section aria-labelledby="h-activity">
            <h2 id="h-activity">Last activity and two-step verification{current ? ` — ${current.siteName}` : ''}</h2>
            {current ? (
              <ActivitySources key={current.site} site={current} refreshKey={changeCount} />
            ) : (
              <p class="muted">Connect a site to bring in last activity and two-step verification.</p>
            )}
          </section>

          <section aria-labelledby="h-settings">
            <h2 id="h-settings">Settings</h2>
            <SettingsForm
              graceDays={state.graceDays}
              dormantDays={state.dormantDays}
              cadence={{ reviewEveryDays: state.reviewEveryDays, remediationDueDays: state.remediationDueDays }}
              site={current}
              onSaved={reload}
            />
          </section>

          <section aria-labelledby="h-diagnostics">
            <h2 id="h-diagnostics">Diagnostics{current ? ` — ${current.siteName}` : ''}</h2>
            {current ? (
              <Diagnostics key={current.site} site={current.site} refreshKey={changeCount} />
            ) : (
              <p class="muted">Connect a site to see its diagnostics.</p>
            )}
          </section>

          <section aria-labelledby="h-audit">
            <h2 id="h-audit">Audit log{current ? ` — ${current.siteName}` : ''}</h2>
            {current ? (
              <AuditLog key={current.site} site={current.site} refreshKey={changeCount} />
            ) : (
              <p class="muted">Connect a site to see its audit log.</p>
            )}
          </section>
        </>
      )}
    </main>
  );
}
