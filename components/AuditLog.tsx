import { useEffect, useState } from 'preact/hooks';
import { AUDIT_KINDS, type AuditEntry, type AuditKind, type ChainVerdict } from '@/lib/audit/chain';
import { downloadText } from './download';
import { formatDateTime } from './format';
import { errorText, send } from './messaging';
import { ErrorText, useAction } from './useAction';

const PAGE = 100;

/** The site's audit log, newest first, by kind; "Export audit log" and "Verify audit log". */
export function AuditLog({ site, refreshKey }: { site: string; refreshKey: number }) {
  const [kind, setKind] = useState<AuditKind | ''>('');
  const [limit, setLimit] = useState(PAGE);
  const [page, setPage] = useState<{ total: number; entries: AuditEntry[] } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<ChainVerdict | null>(null);
  const { busy, error, run } = useAction();

  useEffect(() => setLimit(PAGE), [site, kind]);
  useEffect(() => {
    let cancelled = false;
    send({ type: 'listAudit', site, ...(kind ? { kind } : {}), offset: 0, limit }).then(
      (r) => {
        if (cancelled) return;
        setPage(r);
        setLoadError(null);
      },
      (e: unknown) => !cancelled && setLoadError(errorText(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [site, kind, limit, refreshKey]);

  return (
    <div>
      <div class="row" style={{ alignItems: 'flex-end' }}>
        <div>
          <label for="audit-kind">Kind</label>
          <select id="audit-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as AuditKind | '')}>
            <option value="">All kinds</option>
            {AUDIT_KINDS.map((k) => (
              <option key={k} value={k}>
                {k.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            run(async () => {
              const r = await send({ type: 'exportAuditLog', site });
              downloadText(r.fileName, 'text/csv;charset=utf-8', r.text);
            })
          }
        >
          Export audit log
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            run(async () => {
              setVerdict(await send({ type: 'verifyAuditLog', site }));
            })
          }
        >
          Verify audit log
        </button>
      </div>
      {verdict && (
        <p role="status" data-testid="audit-verdict" class={verdict.ok ? 'ok' : 'error'}>
          {verdict.ok
            ? `The audit log is intact: ${verdict.entries} entries, every link checked.`
            : `The audit log is broken at entry ${verdict.seq}: ${verdict.reason}`}
        </p>
      )}
      <ErrorText text={loadError ?? error} />
      {page && (
        <>
          <p class="muted">{page.total} entries{kind ? ` of kind ${kind.replace(/_/g, ' ')}` : ''}, newest first.</p>
          <div class="table-wrap">
            <table aria-label="Audit log">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Time</th>
                  <th>Actor</th>
                  <th>Kind</th>
                  <th>Details</th>
                </tr>
              </thead>
              <tbody>
                {page.entries.map((e) => (
                  <tr key={e.seq}>
                    <td>{e.seq}</td>
                    <td>{formatDateTime(e.at)}</td>
                    <td>{e.actor.name}</td>
                    <td>{e.kind.replace(/_/g, ' ')}</td>
                    <td class="break">
                      <code>{JSON.stringify(e.details)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.total > page.entries.length && (
            <button type="button" onClick={() => setLimit((n) => n + PAGE)}>
              Show more
            </button>
          )}
        </>
      )}
    </div>
  );
}
