import type { SiteUrl } from '@/lib/model';
import { fromBase64 } from '@/lib/campaign/base64';
import { downloadBlob } from './download';
import { send } from './messaging';

/**
 * The evidence package's bytes: fetched from the service worker (which serves a prepared package
 * once, to this extension's pages), or, where that fails (Firefox's background page has no fetch
 * handler), read part by part in base64 over runtime messages.
 */
async function evidenceBlob(site: SiteUrl): Promise<{ blob: Blob; fileName: string }> {
  const first = await send({ type: 'exportEvidence', site, part: 0, via: 'fetch' });
  if (first.url) {
    try {
      const answer = await fetch(first.url, { cache: 'no-store' });
      if (answer.ok) {
        const blob = await answer.blob();
        if (blob.size === first.bytes) return { blob, fileName: first.fileName };
      }
    } catch {
      // No fetch handler here: read the parts instead.
    }
  }
  const parts: Uint8Array[] = [];
  for (let part = 0; part < first.parts; part++) {
    parts.push(fromBase64((await send({ type: 'exportEvidence', site, part, exportId: first.exportId })).base64));
  }
  return { blob: new Blob(parts as BlobPart[], { type: 'application/zip' }), fileName: first.fileName };
}

/** Fetches the evidence package and saves it as `access-review-<site>-<date>.zip`. */
export async function downloadEvidence(site: SiteUrl): Promise<string> {
  const { blob, fileName } = await evidenceBlob(site);
  downloadBlob(fileName, blob);
  return fileName;
}
