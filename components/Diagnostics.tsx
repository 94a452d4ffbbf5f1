import { visibleText } from '@/lib/display-text';
import { useEffect, useState } from 'preact/hooks';
import type { DiagnosticsResponse, SyncRunRecord, WhyMissingAnswer } from '@/lib/messages';
import { send } from './messaging';
import { ErrorText, useAction } from './useAction';
import { formatCount, formatDateTime } from './format';
import { connectionKindText } from './ConnectedSites';

/** What is wrong with a site's setup, what the syncs did, and why an account is not in the review. */
export function Diagnostics({ site, refreshKey }: { site: string; refreshKey: number }) {
  const [diag, setDiag] = useState<DiagnosticsResponse | null>(null);
  const load = useAction();

  useEffect(() => {
    void load.run(async () => setDiag(await send({ type: 'getDiagnostics', site })));
  }, [site, refreshKey]);

  return (
    <div>
      <ErrorText text={load.error} />
      {diag && (
        <>
          <dl class="facts">
            <dt>Site</dt>
            <dd>
              {visibleText(diag.siteName)} ({diag.site})
            </dd>
            <dt>Organisation (cloud id)</dt>
            <dd>{diag.cloudId ?? 'unknown'}</dd>
            <dt>Connected with</dt>
            <dd>{connectionKindText(diag)}</dd>
            <dt>Jira email lookup</dt>
            <dd>{diag.hasJira ? 'On' : 'Off (no Jira reached when connecting)'}</dd>
            <dt>Connected as</dt>
            <dd>{diag.connectedAs ?? 'unknown'}</dd>
            <dt>Status</dt>
            <dd class={`status-${diag.status}`}>{diag.status === 'connected' ? 'Connected' : 'Disconnected'}</dd>
          </dl>
          <h3>Problems</h3>
          {diag.problems.length === 0 ? (
            <p class="ok">No problems found.</p>
          ) : (
            <ul data-testid="problems">
              {diag.problems.map((p, i) => (
                <li key={i}>{visibleText(p)}</li>
              ))}
            </ul>
          )}
          <h3>Sync history</h3>
          <SyncHistory runs={diag.history} />
        </>
      )}
      <WhyMissing site={site} />
    </div>
  );
}

function SyncHistory({ runs }: { runs: SyncRunRecord[] }) {
  if (runs.length === 0) return <p class="muted">No sync has run yet.</p>;
  return (
    <div class="table-wrap">
      <table aria-label="Sync history">
        <thead>
          <tr>
            <th scope="col">Start</th>
            <th scope="col">End</th>
            <th scope="col">Status</th>
            <th scope="col">Accounts</th>
            <th scope="col">Groups (members)</th>
            <th scope="col">Error / notes</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>
                {formatDateTime(r.startedAt)}
                <div class="muted">{r.trigger}</div>
              </td>
              <td>{r.endedAt ? formatDateTime(r.endedAt) : '—'}</td>
              <td>{r.status}</td>
              <td>{formatCount(r.accounts)}</td>
              <td>
                <ul class="plain">
                  {r.groups.map((g) => (
                    <li key={g.id}>
                      {visibleText(g.name)}: {formatCount(g.members)}
                      {g.done ? '' : ' (incomplete)'}
                    </li>
                  ))}
                </ul>
              </td>
              <td class="break">
                {r.error && <p class="error">{r.error}</p>}
                {r.notes.map((n) => (
                  <p key={n} class="muted">
                    {n}
                  </p>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WhyMissing({ site }: { site: string }) {
  const [query, setQuery] = useState('');
  const [answer, setAnswer] = useState<WhyMissingAnswer | null>(null);
  const { busy, error, setError, run } = useAction();

  async function lookUp() {
    setAnswer(null);
    if (!query.trim()) {
      setError('Enter an email, a name or an account id.');
      return;
    }
    await run(async () => setAnswer(await send({ type: 'whyMissing', site, query: query.trim() })));
  }

  return (
    <form
      aria-label="Account lookup"
      onSubmit={(e) => {
        e.preventDefault();
        void lookUp();
      }}
    >
      <h3>Look up an account</h3>
      <label for="why-missing">Why is this account missing?</label>
      <input
        id="why-missing"
        type="text"
        placeholder="Email, name or account id"
        value={query}
        onInput={(e) => setQuery(e.currentTarget.value)}
      />
      <div class="row">
        <button type="submit" disabled={busy}>
          Look up
        </button>
      </div>
      <ErrorText text={error} />
      {answer && (
        <p class="pre-line" role="status" data-testid="why-missing-answer">
          {visibleText(answer.explanation)}
        </p>
      )}
    </form>
  );
}
