import type { ReviewRow, RosterMeta } from '@/lib/model';
import { toCsv, toJson } from '@/lib/review/export';
import { downloadText, exportFileName } from './download';
import { localDate } from './format';

/** Evidence export of every synced account of the site, filtered ones included. */
export function ExportButtons({
  site,
  siteName,
  rows,
  lastSyncedAt,
  roster,
  caveats = [],
}: {
  site: string;
  siteName: string;
  rows: ReviewRow[];
  lastSyncedAt: string | null;
  roster: RosterMeta | null;
  /** What limits the synced data (from the sync), carried into the JSON export. */
  caveats?: string[];
}) {
  const disabled = rows.length === 0;
  return (
    <div class="row">
      <button
        type="button"
        disabled={disabled}
        onClick={() => downloadText(exportFileName(siteName, localDate(), 'csv'), 'text/csv;charset=utf-8', toCsv(rows, site))}
      >
        Export CSV
      </button>
      <button
        type="button"
        disabled={disabled}
        onClick={() =>
          downloadText(
            exportFileName(siteName, localDate(), 'json'),
            'application/json',
            toJson(rows, site, {
              exportedAt: new Date().toISOString(),
              lastSyncedAt,
              roster: roster && { fileName: roster.fileName, importedAt: roster.importedAt },
              caveats,
            }),
          )
        }
      >
        Export JSON
      </button>
    </div>
  );
}
