import type { SiteUrl } from '@/lib/model';
import { fromBase64 } from '@/lib/campaign/base64';
import { send } from './messaging';

/** Fetches the evidence package part by part and saves it as `access-review-<site>-<date>.zip`. */
export async function downloadEvidence(site: SiteUrl): Promise<string> {
  const first = await send({ type: 'exportEvidence', site, part: 0 });
  const parts = [fromBase64(first.base64)];
  for (let part = 1; part < first.parts; part++) {
    parts.push(fromBase64((await send({ type: 'exportEvidence', site, part, exportId: first.exportId })).base64));
  }
  const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = first.fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return first.fileName;
}
