import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ReviewQueryResponse } from '@/lib/messages';
import type { ReviewRow } from '@/lib/model';
import { accountIdFromUrl, siteOfHost, type PageAccount } from '@/lib/page-context';
import { send, errorText } from '@/components/messaging';
import { useAppState } from '@/components/useAppState';
import { SiteSelect } from '@/components/SiteSelect';
import { AccountList, LIST_PAGE } from '@/components/AccountList';
import { AccountDetail } from '@/components/AccountDetail';
import { ExportButtons } from '@/components/ExportButtons';
import { ErrorText } from '@/components/useAction';
import { progressText } from '@/components/SiteStatus';
import { SHOW_OPTIONS, type ShowFilter } from '@/components/reviewFilters';
import { watchActiveTabUrl, type ActiveTabWatcher } from '@/components/activeTab';
import { formatCount, formatDateTime } from '@/components/format';
import { CAMPAIGN_SHOW_OPTIONS, ReviewCampaignBar, useCampaign } from '@/components/ReviewCampaign';
import type { CampaignAccount } from '@/lib/campaign/types';

/**
 * The review next to the Atlassian page: a page of accounts at a time from the background's warm
 * review model, the account the active tab is about, owner marks and exports. Reloads once per
 * change, on the background's `stateChanged` broadcast.
 */
export function SidePanelApp({ watchActiveTab = watchActiveTabUrl }: { watchActiveTab?: ActiveTabWatcher }) {
  const { state, error: stateError, progress, changeCount } = useAppState();
  const [siteChoice, setSiteChoice] = useState<string | null>(null);
  const [review, setReview] = useState<ReviewQueryResponse | null>(null);
  const [reviewError, setReviewError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [show, setShow] = useState<ShowFilter>('review');
  const [limit, setLimit] = useState(LIST_PAGE);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReviewRow | null>(null);
  const [pageAccount, setPageAccount] = useState<PageAccount | null>(null);
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
    if (!reviewOpen && CAMPAIGN_SHOW_OPTIONS.some((o) => o.value === show)) setShow('review');
  }, [reviewOpen, show]);

  useEffect(() => watchActiveTab((url) => setPageAccount(url ? accountIdFromUrl(url) : null)), [watchActiveTab]);

  // A profile page on one of the connected sites switches the panel to that site.
  useEffect(() => {
    if (!pageAccount) return;
    const own = siteOfHost(pageAccount.host);
    const bySite = own ? sites.find((s) => s.site === own) : undefined;
    if (bySite && bySite.site !== site) setSiteChoice(bySite.site);
  }, [pageAccount, sites, site]);

  // A new filter or search starts from the first page again.
  useEffect(() => setLimit(LIST_PAGE), [site, show, query]);

  useEffect(() => {
    if (!site) {
      setReview(null);
      return;
    }
    let cancelled = false;
    const q = { site, filter: show, search: query, sort: 'severity', offset: 0, limit } as const;
    (reviewOpen ? send({ type: 'queryCampaign', ...q }) : send({ type: 'queryReview', ...q })).then(
      (r) => {
        if (cancelled) return;
        setReview(r);
        setReviewError(null);
      },
      (e: unknown) => !cancelled && setReviewError(errorText(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [site, show, query, limit, changeCount, reviewOpen]);

  useEffect(() => {
    if (!site || !selectedId) {
      setSelected(null);
      return;
    }
    let cancelled = false;
    Promise.all([
      reviewOpen ? null : send({ type: 'getAccount', site, accountId: selectedId }).then((r) => r.row),
      hasReview ? send({ type: 'getReviewAccount', site, accountId: selectedId }).then((r) => r.account) : null,
    ]).then(
      ([row, inReview]) => {
        if (cancelled) return;
        setSelected(reviewOpen ? (inReview?.row ?? null) : row);
        setReviewAccount(inReview);
      },
      (e: unknown) => !cancelled && setReviewError(errorText(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [site, selectedId, changeCount, reviewOpen, hasReview]);

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

  const live = current ? progress[current.site] ?? current.sync : null;
  const rows = review && review.site === site ? review.rows : [];

  return (
    <main>
      <h1>Access Lens</h1>
      <ErrorText text={stateError} />
      {!state && !stateError && <p role="status">Loading…</p>}
      {state && sites.length === 0 && <p>No site connected — open Settings to connect your Confluence site.</p>}
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
            {current.siteName} · {current.lastSyncedAt ? `Last synced ${formatDateTime(current.lastSyncedAt)}` : 'Not synced yet'}
          </p>
          {live && (
            <p class="progress" role="status">
              {progressText(live)}
            </p>
          )}
          <ErrorText text={reviewError} />
          {review && review.site === current.site && (
            <ReviewBody hasSynced={review.synced} hasRoster={review.hasRoster}>
              {selectedId && selected ? (
                <AccountDetail site={current.site} row={selected} review={reviewAccount} onBack={() => setSelectedId(null)} />
              ) : (
                <>
                  {/* Above the list: with hundreds of accounts the auditor should not scroll to export. */}
                  <ReviewCampaignBar
                    site={current.site}
                    synced={review.synced}
                    summary={campaign.summary}
                    loadError={campaign.error}
                    shown={{ filter: show, filterLabel: showOptions.find((o) => o.value === show)?.label ?? show, search: query, total: review.total }}
                  />
                  <ExportButtons site={current.site} siteName={current.siteName} disabled={!review.synced} />
                  <div class="row" style={{ alignItems: 'flex-end' }}>
                    <div style={{ flex: '2 1 180px' }}>
                      <label for="account-search">Search accounts</label>
                      <input id="account-search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
                    </div>
                    <div style={{ flex: '1 1 140px' }}>
                      <label for="account-show">Show</label>
                      <select id="account-show" value={show} onChange={(e) => setShow(e.currentTarget.value as ShowFilter)}>
                        {showOptions.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                    </div>
                  </div>
                  <p role="status" class="muted">
                    {formatCount(review.total)} {review.total === 1 ? 'account' : 'accounts'}
                  </p>
                  {rows.length === 0 ? (
                    <p class="muted">No account matches.</p>
                  ) : (
                    <AccountList rows={rows} total={review.total} onSelect={setSelectedId} onMore={() => setLimit((n) => n + LIST_PAGE)} />
                  )}
                </>
              )}
            </ReviewBody>
          )}
        </>
      )}
    </main>
  );
}

function ReviewBody({ hasSynced, hasRoster, children }: { hasSynced: boolean; hasRoster: boolean; children: ComponentChildren }) {
  if (!hasSynced) return <p>No sync yet — press Sync now in the popup.</p>;
  return (
    <>
      {!hasRoster && <p class="muted">Import a roster on the Settings page to match accounts to people.</p>}
      {children}
    </>
  );
}
