/**
 * The evidence package: review.csv, review.json, report.html, audit-log.csv and manifest.json
 * (name, size and SHA-256 of every other file, the seal, the time, the extension version),
 * zipped: fflate writes the archive, the platform's CompressionStream deflates the files where it
 * can (fflate's own deflate where it cannot). Built from stored data only; no credential is ever
 * an input. Pure, apart from crypto.subtle's SHA-256 and CompressionStream.
 */
import { Zip, ZipPassThrough, zipSync } from 'fflate';
import Papa from 'papaparse';
import { Utf8Sink, utf8 } from '../utf8';
import type { ReviewRow } from '../model';
import { csvCell, csvTable, EXPORT_COLUMNS } from '../review/export';
import type { AuditEntry } from '../audit/chain';
import { auditCsv } from '../audit/csv';
import { sha256Hex } from './canonical';
import { REVIEW_COLUMNS, reviewDocument, type ReviewDocument, type ReviewRecord } from './document';
import { reportHtml } from './report';
import type { CampaignRecord, DecisionRecord } from './types';

export interface EvidenceInput {
  campaign: CampaignRecord;
  rows: readonly ReviewRow[];
  decisions: ReadonlyMap<string, DecisionRecord>;
  auditEntries: readonly AuditEntry[];
  generatedAt: string;
  now: Date;
  remediationDueDays: number;
  extensionVersion: string;
}

export interface EvidencePackage {
  zip: Uint8Array;
  manifest: { files: { name: string; bytes: number; sha256: string }[]; seal: string | null; generatedAt: string; extensionVersion: string };
  document: ReviewDocument;
}

/** Rows per piece when writing review.csv and review.json: big enough to keep calls few, small enough to stay cheap strings. */
const ROWS_PER_PIECE = 256;

function csvCells(r: ReviewRecord): string[] {
  const cells = EXPORT_COLUMNS.map((c) => csvCell(r[c]));
  cells.push(
    csvCell(r.decided_by),
    csvCell(r.decided_at),
    csvCell(r.remove_from_groups),
    csvCell(r.diff),
    csvCell(r.remediation),
    csvCell(r.remediation_verified_at),
  );
  return cells;
}

/**
 * review.csv, the same bytes as `csvTable(REVIEW_COLUMNS, all rows)`: Papa quotes each cell on
 * its own, so the rows can be written a piece at a time.
 */
export function writeReviewCsv(records: readonly ReviewRecord[], sink: Utf8Sink): void {
  sink.write(csvTable(REVIEW_COLUMNS, []));
  for (let i = 0; i < records.length; i += ROWS_PER_PIECE) {
    const data = records.slice(i, i + ROWS_PER_PIECE).map(csvCells);
    const piece = Papa.unparse(data, { newline: '\r\n', quotes: false, escapeFormulae: false, header: false });
    if (i === 0) sink.reserve(expectedBytes(piece, data.length, records.length));
    sink.write(piece);
    sink.write('\r\n');
  }
}

/** review.json, the same bytes as `JSON.stringify(document)` and a line break, its rows written a piece at a time. */
export function writeReviewJson(document: ReviewDocument, sink: Utf8Sink): void {
  const { rows, ...rest } = document;
  // `rows` is the document's last member, so the head ends where the rows go: `"rows":[]}`.
  const head = JSON.stringify({ ...rest, rows: [] });
  sink.write(head.slice(0, -2));
  for (let i = 0; i < rows.length; i += ROWS_PER_PIECE) {
    const piece = JSON.stringify(rows.slice(i, i + ROWS_PER_PIECE));
    if (i === 0) sink.reserve(expectedBytes(piece, Math.min(ROWS_PER_PIECE, rows.length), rows.length) + 1024);
    if (i > 0) sink.write(',');
    sink.write(piece.slice(1, -1));
  }
  sink.write(']}\n');
}

/** Room for all rows, judged by the first piece (with a margin for longer rows and multi-byte characters). */
function expectedBytes(firstPiece: string, piecesRows: number, allRows: number): number {
  return Math.ceil((firstPiece.length / Math.max(1, piecesRows)) * allRows * 1.25) + 4096;
}

/**
 * The bytes a writer wrote, without copying them out of the sink (review.json of 20,000
 * accounts is ~19 MB): they are only hashed and deflated, so the room after them does not matter.
 */
function written(write: (sink: Utf8Sink) => void): Uint8Array {
  const sink = new Utf8Sink();
  write(sink);
  return sink.view();
}

/** `access-review-<site name>-<YYYY-MM-DD>.zip`, the site name being the subdomain of `<name>.atlassian.net`. */
export function evidenceFileName(site: string, date: string): string {
  const host = site.replace(/^https?:\/\//, '').split('/')[0] ?? site;
  const name = (host.split('.')[0] ?? 'site').toLowerCase().replace(/[^a-z0-9-]+/g, '-') || 'site';
  return `access-review-${name}-${date}.zip`;
}

export async function buildEvidence(input: EvidenceInput): Promise<EvidencePackage> {
  const document = reviewDocument(input.campaign, input.rows, input.decisions, {
    now: input.now,
    remediationDueDays: input.remediationDueDays,
    generatedAt: input.generatedAt,
    extensionVersion: input.extensionVersion,
  });
  const contents: [string, Uint8Array][] = [
    ['review.csv', written((sink) => writeReviewCsv(document.rows, sink))],
    // Compact: a 20,000-account review is a third smaller, and quicker to encode and zip.
    ['review.json', written((sink) => writeReviewJson(document, sink))],
    ['report.html', utf8(reportHtml(document))],
    ['audit-log.csv', utf8(auditCsv(input.auditEntries))],
  ];
  const files: Record<string, Uint8Array> = {};
  const listed: EvidencePackage['manifest']['files'] = [];
  for (const [name, bytes] of contents) {
    files[name] = bytes;
    listed.push({ name, bytes: bytes.length, sha256: await sha256Hex(bytes) });
  }
  const manifest = { files: listed, seal: input.campaign.seal, generatedAt: input.generatedAt, extensionVersion: input.extensionVersion };
  files['manifest.json'] = utf8(`${JSON.stringify(manifest, null, 2)}\n`);
  const generated = new Date(input.generatedAt);
  // Zip times start in 1980 (APPNOTE 4.4.6: MS-DOS date).
  const mtime = Number.isNaN(generated.getTime()) || generated.getFullYear() < 1980 ? new Date('1980-01-01T00:00:00Z') : generated;
  const zip = nativeDeflateRaw() ? await zipNative(files, mtime) : zipSync(files, { level: 1, mtime });
  return { zip, manifest, document };
}

/** Whether this platform's CompressionStream writes raw DEFLATE (Chrome 103+, Firefox 113+, Node 21.2+). */
function nativeDeflateRaw(): boolean {
  try {
    new CompressionStream('deflate-raw');
    return true;
  } catch {
    return false;
  }
}

/**
 * A zip entry fflate's `Zip` writes (name, size, CRC-32 from ZipPassThrough) whose data the
 * platform deflates: zlib in native code takes about a tenth of the time fflate's JavaScript
 * deflate takes on a 20,000-account review (~20 MB of text), and compresses better than its level 1.
 */
class NativeDeflateEntry extends ZipPassThrough {
  private readonly writer: WritableStreamDefaultWriter<BufferSource>;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array<ArrayBuffer>>;

  constructor(filename: string, mtime: Date) {
    super(filename);
    this.compression = 8;
    this.mtime = mtime;
    const stream = new CompressionStream('deflate-raw');
    this.writer = stream.writable.getWriter();
    this.reader = stream.readable.getReader();
  }

  /** Starts forwarding the deflated data to the archive (once `Zip.add` has set `ondata`). */
  pump(): Promise<void> {
    return (async () => {
      for (;;) {
        const { value, done } = await this.reader.read();
        if (done) return this.ondata(null, new Uint8Array(0), true);
        this.ondata(null, value, false);
      }
    })();
  }

  override process(chunk: Uint8Array, final: boolean): void {
    // The writes are queued by the stream; errors surface through the reader in pump().
    void this.writer.write(chunk as Uint8Array<ArrayBuffer>).catch(() => undefined);
    if (final) void this.writer.close().catch(() => undefined);
  }
}

async function zipNative(files: Record<string, Uint8Array>, mtime: Date): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let failed: Error | null = null;
  let finished!: () => void;
  const ended = new Promise<void>((resolve) => (finished = resolve));
  const zip = new Zip((error, data, final) => {
    if (error) failed = error;
    else chunks.push(data);
    if (final || error) finished();
  });
  // One entry at a time, in order: Zip writes an entry's data only after the one before it ends.
  const pumps: Promise<void>[] = [];
  for (const [name, bytes] of Object.entries(files)) {
    const entry = new NativeDeflateEntry(name, mtime);
    zip.add(entry);
    pumps.push(entry.pump());
    entry.push(bytes, true);
  }
  zip.end();
  await Promise.all(pumps);
  await ended;
  if (failed) throw failed;
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
