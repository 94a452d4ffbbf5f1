/**
 * Canonical JSON and SHA-256, for seals and the audit log's hash chain. Canonical here means:
 * object keys sorted by UTF-16 code units (as RFC 8785 JCS sorts them), no insignificant
 * whitespace, strings and numbers as JSON.stringify writes them, `undefined` members left out
 * (as JSON.stringify does), and the text hashed as UTF-8. The same value gives the same text
 * whatever the order its keys were inserted in, on every run and machine. Pure, apart from
 * `crypto.subtle` (Web Crypto, present in browsers, workers and Node ≥ 20).
 */

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function write(value: unknown, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`Canonical JSON cannot hold the number ${String(value)}`);
      out.push(JSON.stringify(value));
      return;
    case 'object': {
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(',');
          // JSON.stringify writes undefined array items as null.
          write(value[i] === undefined ? null : value[i], out);
        }
        out.push(']');
        return;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort(compareKeys);
      out.push('{');
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        if (i > 0) out.push(',');
        out.push(JSON.stringify(key), ':');
        write(record[key], out);
      }
      out.push('}');
      return;
    }
    default:
      throw new TypeError(`Canonical JSON cannot hold a ${typeof value}`);
  }
}

/** The canonical JSON text of a JSON value (see the file comment). */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let hex = '';
  for (let i = 0; i < view.length; i++) hex += HEX[view[i] as number];
  return hex;
}

/** SHA-256 of bytes, or of a string's UTF-8 encoding, as lower-case hex. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return toHex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** The seal of a value: SHA-256 of its canonical JSON. */
export async function sealOf(value: unknown): Promise<string> {
  return sha256Hex(canonicalJson(value));
}
