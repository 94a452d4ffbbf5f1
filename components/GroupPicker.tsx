import { visibleText } from '@/lib/display-text';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { GroupsResponse } from '@/lib/messages';
import type { GroupRef } from '@/lib/model';
import { errorText, send } from './messaging';
import { ErrorText, useAction } from './useAction';
import { formatCount } from './format';

/** A group as the picker shows it. */
type PickerGroup = GroupRef & { otherSite: boolean };

/** Next to a default-pattern group whose suffix names another site (issue 8, item 10). */
export const OTHER_SITE_HINT = 'may belong to another site of your organisation';

/** Rendering thousands of checkboxes makes the page sluggish; the search narrows the rest. */
export const MAX_GROUPS_SHOWN = 300;

interface Props {
  site: string;
  /** What the site tracks now; empty before the first save. */
  trackedGroupIds: string[];
  onSaved: () => void;
}

/**
 * Choose which groups to monitor. Groups are identified by id (names can change); the background's
 * `listGroups` already marks the default pre-selection as `selected` before the first save, and
 * marks other sites' default groups (`otherSite`), which it leaves unchecked.
 *
 * Listing groups can take tens of seconds on a large organisation (../shared/atlassian-api.md §10),
 * so the list saved last time is shown at once and refreshed in the background; the refresh
 * adds new groups (with the background's pre-selection) and never undoes what the admin ticked.
 */
export function GroupPicker({ site, trackedGroupIds, onSaved }: Props) {
  const [groups, setGroups] = useState<PickerGroup[] | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState(trackedGroupIds.length === 0);
  const [query, setQuery] = useState('');
  const [savedMessage, setSavedMessage] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const load = useAction();
  const save = useAction();
  /** Whether the admin changed the selection since the list was shown (a refresh then keeps it). */
  const touched = useRef(false);

  function show(answer: GroupsResponse, previous: PickerGroup[] | null) {
    const sorted = [...answer.groups].sort((a, b) => a.name.localeCompare(b.name));
    setGroups(sorted.map(({ id, name, otherSite }) => ({ id, name, otherSite })));
    const fresh = new Set(sorted.filter((g) => g.selected).map((g) => g.id));
    if (!touched.current || previous === null) {
      setSelected(fresh);
      return;
    }
    // Keep the admin's choices for groups already shown; new groups get the background's choice.
    const known = new Set(previous.map((g) => g.id));
    setSelected((prev) => new Set(sorted.filter((g) => (known.has(g.id) ? prev.has(g.id) : fresh.has(g.id))).map((g) => g.id)));
  }

  async function refreshInBackground(shown: PickerGroup[]) {
    setRefreshing(true);
    setRefreshError(null);
    try {
      show(await send({ type: 'listGroups', site, refresh: true }), shown);
    } catch (e) {
      setRefreshError(`Could not refresh the group list from Atlassian: ${errorText(e)}`);
    } finally {
      setRefreshing(false);
    }
  }

  async function fetchGroups(refresh: boolean) {
    let answer: GroupsResponse | null = null;
    await load.run(async () => {
      answer = await send({ type: 'listGroups', site, ...(refresh && { refresh: true }) });
      touched.current = false;
      show(answer, null);
    });
    const got = answer as GroupsResponse | null;
    if (got?.source === 'stored') {
      void refreshInBackground(got.groups.map(({ id, name, otherSite }) => ({ id, name, otherSite })));
    }
  }

  useEffect(() => {
    void fetchGroups(false);
  }, [site]);

  const filtered = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!groups) return [];
    return q ? groups.filter((g) => g.name.toLowerCase().includes(q)) : groups;
  }, [groups, query]);

  const namesById = useMemo(() => new Map((groups ?? []).map((g) => [g.id, g.name])), [groups]);

  function toggle(id: string, on: boolean) {
    touched.current = true;
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function setShown(on: boolean) {
    touched.current = true;
    setSelected((prev) => {
      const next = new Set(prev);
      for (const g of filtered) {
        if (on) next.add(g.id);
        else next.delete(g.id);
      }
      return next;
    });
  }

  async function saveGroups() {
    // Keep only ids that still exist, in a stable order.
    const groupIds = (groups ?? []).filter((g) => selected.has(g.id)).map((g) => g.id);
    const ok = await save.run(async () => {
      await send({ type: 'saveGroups', site, groupIds });
    });
    if (ok) {
      setEditing(false);
      setSavedMessage('Groups saved. A sync has started.');
      onSaved();
    }
  }

  if (!editing) {
    // After a save the summary reflects what was just saved, even before the state reloads.
    const ids = savedMessage !== null ? [...selected] : trackedGroupIds;
    const names = ids.map((id) => namesById.get(id) ?? id).sort((a, b) => a.localeCompare(b));
    return (
      <div>
        <p data-testid="groups-summary">
          {names.length === 1 ? '1 group tracked' : `${formatCount(names.length)} groups tracked`}
          {names.length > 0 ? `: ${names.map(visibleText).join(', ')}` : ''}
        </p>
        {savedMessage && <p class="ok" role="status">{savedMessage}</p>}
        <button
          type="button"
          onClick={() => {
            setSavedMessage(null);
            setEditing(true);
          }}
        >
          Edit tracked groups
        </button>
        <ErrorText text={load.error} />
      </div>
    );
  }

  const shown = filtered.slice(0, MAX_GROUPS_SHOWN);
  return (
    <div>
      <div class="row">
        <div style={{ flex: 1, minWidth: '200px' }}>
          <label for={`groups-search-${site}`}>Search groups</label>
          <input id={`groups-search-${site}`} type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        </div>
        <button type="button" disabled={load.busy || refreshing} onClick={() => fetchGroups(true)}>
          Refresh groups
        </button>
      </div>
      {load.busy && groups === null && (
        <p role="status">Loading groups… (this can take a minute on a large organisation)</p>
      )}
      {refreshing && <p class="muted" role="status">Refreshing the group list from Atlassian…</p>}
      <ErrorText text={load.error} />
      <ErrorText text={refreshError} />
      {groups && (
        <>
          <p role="status" data-testid="groups-count">
            {formatCount(selected.size)} of {formatCount(groups.length)} selected
          </p>
          {groups.length === 0 ? (
            <p class="muted">This site has no groups.</p>
          ) : (
            <>
              <div class="row">
                <button type="button" onClick={() => setShown(true)} disabled={filtered.length === 0}>
                  Select all shown
                </button>
                <button type="button" onClick={() => setShown(false)} disabled={filtered.length === 0}>
                  Clear all shown
                </button>
              </div>
              <div class="group-list" role="group" aria-label="Groups">
                {shown.map((g) => {
                  const hintId = `group-hint-${g.id.replace(/[^a-z0-9_-]/gi, '_')}`;
                  return (
                    <div key={g.id} class="row" style={{ gap: '0.5em', alignItems: 'baseline' }}>
                      <label class="inline" style={{ display: 'flex' }}>
                        <input
                          type="checkbox"
                          checked={selected.has(g.id)}
                          aria-describedby={g.otherSite ? hintId : undefined}
                          onChange={(e) => toggle(g.id, e.currentTarget.checked)}
                        />
                        <span>{visibleText(g.name)}</span>
                      </label>
                      {g.otherSite && (
                        <span id={hintId} class="muted" data-testid="other-site-hint">
                          {OTHER_SITE_HINT}
                        </span>
                      )}
                    </div>
                  );
                })}
                {filtered.length === 0 && <p class="muted">No group matches “{query}”.</p>}
              </div>
              {filtered.length > shown.length && (
                <p class="muted">
                  Showing {formatCount(shown.length)} of {formatCount(filtered.length)} matching groups — refine the search to see
                  the rest.
                </p>
              )}
            </>
          )}
          <div class="row">
            <button type="button" class="primary" disabled={save.busy} onClick={saveGroups}>
              Save groups
            </button>
            {trackedGroupIds.length > 0 && (
              <button type="button" disabled={save.busy} onClick={() => void fetchGroups(false).then(() => setEditing(false))}>
                Cancel
              </button>
            )}
          </div>
          <ErrorText text={save.error} />
        </>
      )}
    </div>
  );
}
