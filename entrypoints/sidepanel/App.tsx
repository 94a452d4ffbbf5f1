import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { PanelFocus, SiteSummary } from '@/lib/messages';
import type { ReviewRow } from '@/lib/model';
import { visibleText } from '@/lib/display-text';
import { accountIdFromUrl, groupFromUrl, siteOfHost, type PageAccount, type PageGroup } from '@/lib/page-context';
import type { ReviewFilter, ReviewSort } from '@/lib/review/filters';
import { send, errorText, onBroadcast } from '@/components/messaging';
import { useAppState } from '@/components/useAppState';
import { SiteSelect } from '@/components/SiteSelect';
import { AccountList } from '@/components/AccountList';
import { AccountDetail } from '@/components/AccountDetail';
import { ExportButtons } from '@/components/ExportButtons';
import { ErrorText, useAction } from '@/components/useAction';
import { SyncProgressBar } from '@/components/SiteStatus';
import { SHOW_OPTIONS, SORT_OPTIONS } from '@/components/reviewFilters';
import { watchActiveTabUrl, type ActiveTabWatcher } from '@/components/activeTab';
import { currentWindowId, openOptionsPage } from '@/components/browserActions';
import { formatCount, formatDateTime } from '@/components/format';
import { formatPanelHash, parsePanelHash } from '@/components/panelHash';
import { useReviewPages } from '@/components/useReviewPages';
import { CAMPAIGN_SHOW_OPTIONS, ReviewCampaignBar, useCampaign } from '@/components/ReviewCampaign';
import type { CampaignAccount } from '@/lib/campaign/types';

export interface SidePanelProps {
  watchActiveTab?: ActiveTabWatcher;
  /** The window this panel belongs to (for focus requests from page badges and the popup). */
  windowId?: () => Promise<number | undefined>;
  openSettings?: () => Promise<void>;
}

/** Where the list was when an account was opened, to come back to it. */
interface ListPlace {
  index: number;
  offset: number;
}

/**
 * The review next to the Atlassian page, at any size: a virtualised list read a page at a time
 * from the background's warm review model, filter chips with counts, search and sort kept in
 * the URL hash, the account or group the active tab is about, owner marks and exports. Reloads
 * once per change, on the background's `stateChanged` broadcast.
 */
export function SidePanelApp({ watchActiveTab = watchActiveTabUrl, windowId = currentWindowId, openSettings = openOptionsPage }: SidePanelProps) {
  const { state, error: stateError, progress, changeCount } = useAppState();
  const initial = useMemo(() => parsePanelHash(typeof location === 'undefined' ? '' : location.hash), []);
  const [siteChoice, setSiteChoice] = useState<string | null>(initial.site);
  const [filter, setFilter] = useState<ReviewFilter>(initial.filter);
  const [search, setSearch] = useState(initial.search);
  const [sort, setSort] = useState<ReviewSort>(initial.sort);
  const [group, setGroup] = useState<string | null>(initial.group);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReviewRow | null>(null);
  const [detailError, setDetailError] = useState<string | null>(null);
  const [place, setPlace] = useState<ListPlace | null>(null);
  const [tabUrl, setTabUrl] = useState<string | null>(null);
  const [reviewAccount, setReviewAccount] = useState<CampaignAccount | null>(null);

  const sites = state?.sites ?? [];
  const current = sites.find((s) => s.site === siteChoice) ?? sites[0] ?? null;
  const site = current?.site ?? null;
  // Access review (issue 9): an open review lists its frozen snapshot instead of the live review.
  const reviewOpen = !!current?.review.open;
  const hasReview = reviewOpen || !!current?.review.lastCompletedAt;
  const campaign = useCampaign(site, current?.review, changeCount);
  const showOptions = reviewOpen ? [...SHOW_OPTIONS, ...CAMPAIGN_SHOW_OPTIONS] : SHOW_OPTIONS;
  useEffect(() => {
    if (!reviewOpen && CAMPAIGN_SHOW_OPTIONS.some((o) => o.value === filter)) setFilter('review');
  }, [reviewOpen, filter]);

  const view = useMemo(
    () => (site ? { site, filter, search, sort, group: reviewOpen ? null : group, campaign: reviewOpen } : null),
    [site, filter, search, sort, group, reviewOpen],
  );
  const pages = useReviewPages(view, changeCount);
  const meta = pages.meta && pages.meta.site === site ? pages.meta : null;

  // The view lives in the hash, so a reload keeps it.
  useEffect(() => {
    const hash = formatPanelHash({ site: siteChoice, filter, search, sort, group });
    if (typeof history !== 'undefined' && location.hash !== hash) history.replaceState(null, '', hash || location.pathname + location.search);
  }, [siteChoice, filter, search, sort, group]);

  useEffect(() => watchActiveTab(setTabUrl), [watchActiveTab]);
  const pageAccount = useMemo<PageAccount | null>(() => (tabUrl ? accountIdFromUrl(tabUrl) : null), [tabUrl]);
  const pageGroup = useMemo<PageGroup | null>(() => (tabUrl ? groupFromUrl(tabUrl) : null), [tabUrl]);

  // A page of one of the connected sites switches the panel to that site.
  useEffect(() => {
    const host = pageAccount?.host ?? pageGroup?.host;
    if (!host) return;
    const own = siteOfHost(host);
    const bySite = own ? sites.find((s) => s.site === own) : undefined;
    if (bySite && bySite.site !== site) setSiteChoice(bySite.site);
  }, [pageAccount, pageGroup, sites, site]);

  // A group page (admin.atlassian.com or Confluence's) lists that group's members, once per tab change.
  const appliedGroup = useRef<PageGroup | null>(null);
  useEffect(() => {
    if (!pageGroup || appliedGroup.current === pageGroup) return;
    appliedGroup.current = pageGroup;
    setGroup(pageGroup.group);
    setSelectedId(null);
  }, [pageGroup]);

  // Select the account the active tab is about, once per tab change, so "Back to list" is not
  // undone by the next reload.
  const appliedPageAccount = useRef<PageAccount | null>(null);
  useEffect(() => {
    if (!site || !pageAccount || appliedPageAccount.current === pageAccount) return;
    let cancelled = false;
    send({ type: 'getAccount', site, accountId: pageAccount.accountId }).then(
      (r) => {
        if (cancelled || !r.row) return;
        appliedPageAccount.current = pageAccount;
        setSelectedId(pageAccount.accountId);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [site, pageAccount, changeCount]);

  // A page badge or the popup asked this window's panel to show a site or an account.
  useEffect(() => {
    let mine: number | null = null;
    let stopped = false;
    const apply = (focus: PanelFocus | null) => {
      if (!focus || stopped) return;
      setSiteChoice(focus.site);
      setSelectedId(focus.accountId);
    };
    void windowId()
      .catch(() => undefined)
      .then((id) => {
        mine = id ?? null;
        return send({ type: 'takePanelFocus', windowId: mine });
      })
      .then((r) => apply(r.focus), () => undefined);
    const off = onBroadcast((b) => {
      if (b.type === 'panelFocus' && (b.windowId === null || b.windowId === mine)) {
        apply(b.focus);
        void send({ type: 'takePanelFocus', windowId: mine }).catch(() => undefined);
      }
    });
    return () => {
      stopped = true;
      off();
    };
  }, [windowId]);

  // A layout effect: asked for as soon as the change is rendered, not after the next frame is
  // painted (a plain effect waits for it), so a mark shows on the account without that delay.
  useLayoutEffect(() => {
    if (!site || !selectedId) {
      setSelected(null);
      return;
    }
    let cancelled = false;
    Promise.all([
      reviewOpen ? null : send({ type: 'getAccount', site, accountId: selectedId }).then((r) => r.row),
      hasReview ? send({ type: 'getReviewAccount', site, accountId: selectedId }).then((r) => r.account) : null,
    ]).then(
      ([live, inReview]) => {
        if (cancelled) return;
        const row = reviewOpen ? (inReview?.row ?? null) : live;
        setSelected(row);
        setReviewAccount(inReview);
        setDetailError(row ? null : reviewOpen ? 'That account is not in the review’s snapshot.' : 'That account is not in the last sync of this site.');
      },
      (e: unknown) => !cancelled && setDetailError(errorText(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [site, selectedId, changeCount, reviewOpen, hasReview]);

  const closeDetail = () => {
    setSelectedId(null);
    setDetailError(null);
  };

  // Escape closes the account (unless the admin is typing in a field of it).
  useEffect(() => {
    if (!selectedId) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      const target = event.target as HTMLElement | null;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      event.preventDefault();
      closeDetail();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [selectedId]);

  const live = current ? progress[current.site] ?? current.sync : null;
  const viewFiltered = filter !== 'review' || search !== '' || group !== null;

  return (
    <main>
      <h1>Access Lens</h1>
      <ErrorText text={stateError} />
      {!state && !stateError && <p role="status">Loading…</p>}
      {state && sites.length === 0 && (
        <div class="empty">
          <p>No site connected — open Settings to connect your Confluence site.</p>
          <button type="button" class="primary" onClick={() => void openSettings()}>
            Open Settings
          </button>
        </div>
      )}
      {current && (
        <>
          {sites.length > 1 && (
            <SiteSelect
              sites={sites}
              value={current.site}
              onChange={(s) => {
                setSiteChoice(s);
                setSelectedId(null);
              }}
            />
          )}
          <p class="muted">
            {visibleText(current.siteName)} · {current.lastSyncedAt ? `Last synced ${formatDateTime(current.lastSyncedAt)}` : 'Not synced yet'}
          </p>
          {live && <SyncProgressBar progress={live} />}
          <ErrorText text={pages.error} />
          {selectedId ? (
            <>
              <ErrorText text={detailError} />
              {selected ? (
                <AccountDetail site={current.site} row={selected} review={reviewAccount} onBack={closeDetail} />
              ) : (
                detailError && (
                  <button type="button" class="link" onClick={closeDetail}>
                    ← Back to list
                  </button>
                )
              )}
            </>
          ) : (
            meta && (
              <ReviewBody summary={current} synced={meta.synced} hasRoster={meta.hasRoster}>
                {/* Above the list: with thousands of accounts the auditor should not scroll to export. */}
                <ReviewCampaignBar
                  site={current.site}
                  synced={meta.synced}
                  summary={campaign.summary}
                  loadError={campaign.error}
                  shown={{ filter, filterLabel: showOptions.find((o) => o.value === filter)?.label ?? filter, search, total: meta.total }}
                />
                <ExportButtons site={current.site} siteName={current.siteName} disabled={!meta.synced} />
                <div class="row controls">
                  <div class="grow">
                    <label for="account-search">Search accounts</label>
                    <input id="account-search" type="search" value={search} maxLength={320} onInput={(e) => setSearch(e.currentTarget.value)} />
                  </div>
                  <div>
                    <label for="account-show">Show</label>
                    <select id="account-show" value={filter} onChange={(e) => setFilter(e.currentTarget.value as ReviewFilter)}>
                      {showOptions.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div>
                    <label for="account-sort">Sort by</label>
                    <select id="account-sort" value={sort} onChange={(e) => setSort(e.currentTarget.value as ReviewSort)}>
                      {SORT_OPTIONS.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                  </div>
                </div>
                <div class="chips" role="group" aria-label="Filters">
                  {showOptions.map((o) => (
                    <button key={o.value} type="button" class="chip" aria-pressed={filter === o.value} onClick={() => setFilter(o.value)}>
                      {o.label} <span class="count">{formatCount(meta.counts[o.value] ?? 0)}</span>
                    </button>
                  ))}
                </div>
                {group !== null && (
                  <p class="group-filter">
                    {meta.group ? (
                      <>
                        Members of <strong>{visibleText(meta.group.name)}</strong>
                      </>
                    ) : (
                      <>“{visibleText(group)}” is not a monitored group: none of its members are in this review.</>
                    )}{' '}
                    <button type="button" class="link" onClick={() => setGroup(null)}>
                      Show every group
                    </button>
                  </p>
                )}
                <p role="status" class="muted">
                  {formatCount(meta.total)} {meta.total === 1 ? 'account' : 'accounts'}
                </p>
                {meta.total === 0 ? (
                  <div class="empty">
                    <p class="muted">No account matches.</p>
                    {viewFiltered && (
                      <button
                        type="button"
                        onClick={() => {
                          setSearch('');
                          setFilter('review');
                          setGroup(null);
                        }}
                      >
                        Clear search and filters
                      </button>
                    )}
                  </div>
                ) : (
                  <AccountList
                    key={current.site}
                    total={meta.total}
                    rowAt={pages.rowAt}
                    onRange={pages.ensure}
                    viewKey={pages.key ?? ''}
                    initialOffset={place?.offset ?? 0}
                    focusIndex={place?.index ?? null}
                    onSelect={(accountId, index, offset) => {
                      setPlace({ index, offset });
                      setSelectedId(accountId);
                    }}
                  />
                )}
              </ReviewBody>
            )
          )}
        </>
      )}
    </main>
  );
}

function ReviewBody({ summary, synced, hasRoster, children }: { summary: SiteSummary; synced: boolean; hasRoster: boolean; children: ComponentChildren }) {
  const { busy, error, run } = useAction();
  if (!synced) {
    return (
      <div class="empty">
        <p>No sync yet — press Sync now in the popup, or here.</p>
        <button
          type="button"
          class="primary"
          disabled={busy || !!summary.sync || summary.status !== 'connected'}
          onClick={() => run(async () => void (await send({ type: 'syncNow', site: summary.site })))}
        >
          Sync now
        </button>
        <ErrorText text={error} />
      </div>
    );
  }
  return (
    <>
      {!hasRoster && <p class="muted">Import a roster on the Settings page to match accounts to people.</p>}
      {children}
    </>
  );
}
