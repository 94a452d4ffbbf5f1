import { send } from './messaging';
import { downloadText, exportFileName } from './download';
import { localDate } from './format';
import { ErrorText, useAction } from './useAction';

/**
 * Fetches an export the background prepared, part by part (a large site's export is bigger than
 * one runtime message may carry), and returns the whole text.
 */
export async function fetchExport(site: string, format: 'csv' | 'json'): Promise<string> {
  const first = await send({ type: 'exportReview', site, format, part: 0 });
  const parts = [first.text];
  for (let part = 1; part < first.parts; part++) {
    parts.push((await send({ type: 'exportReview', site, format, part, exportId: first.exportId })).text);
  }
  return parts.join('');
}

/** Evidence export of every synced account of the site, filtered ones included. */
export function ExportButtons({ site, siteName, disabled }: { site: string; siteName: string; disabled: boolean }) {
  const { busy, error, run } = useAction();
  const exportAs = (format: 'csv' | 'json') =>
    run(async () => {
      const text = await fetchExport(site, format);
      downloadText(exportFileName(siteName, localDate(), format), format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json', text);
    });
  return (
    <div>
      <div class="row">
        <button type="button" disabled={disabled || busy} onClick={() => exportAs('csv')}>
          Export CSV
        </button>
        <button type="button" disabled={disabled || busy} onClick={() => exportAs('json')}>
          Export JSON
        </button>
      </div>
      <ErrorText text={error} />
    </div>
  );
}
