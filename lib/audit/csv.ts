/** audit-log.csv: one row per entry, oldest first, with the chain's hashes so anyone can re-check it. */
import { csvCell, csvTable } from '../review/export';
import { canonicalJson } from '../campaign/canonical';
import type { AuditEntry } from './chain';

export const AUDIT_COLUMNS = ['seq', 'at', 'actor', 'actor_account_id', 'kind', 'details', 'prev_hash', 'hash'] as const;

export function auditCsv(entries: readonly AuditEntry[]): string {
  const data = [...entries]
    .sort((a, b) => a.seq - b.seq)
    .map((e) => [
      String(e.seq),
      csvCell(e.at),
      csvCell(e.actor.name),
      csvCell(e.actor.accountId),
      csvCell(e.kind),
      // The details exactly as hashed (canonical JSON).
      csvCell(canonicalJson(e.details)),
      e.prev,
      e.hash,
    ]);
  return csvTable(AUDIT_COLUMNS, data);
}
