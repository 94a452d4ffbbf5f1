/**
 * Canonical JSON and SHA-256, for seals and the audit log's hash chain. Canonical here means:
 * object keys sorted by UTF-16 code units (as RFC 8785 JCS sorts them), no insignificant
 * whitespace, strings and numbers as JSON.stringify writes them, `undefined` members left out
 * (as JSON.stringify does), and the text hashed as UTF-8. The same value gives the same text
 * whatever the order its keys were inserted in, on every run and machine. Pure, apart from
 * `crypto.subtle` (Web Crypto, present in browsers, workers and Node ≥ 20).
 */

import { utf8 } from '../utf8';

const INTEGER_KEY = /^(?:0|[1-9]\d*)$/;

/** Thrown inside `sortedCopy` when an object has integer-like keys (JavaScript orders those itself). */
const INTEGER_KEYS = Symbol('integer keys');

/**
 * `value` with every object's members in sorted order, copying only the objects whose members are
 * not sorted yet (most of a review document is built sorted, so this is mostly a check). Throws
 * for what JSON cannot hold faithfully (NaN, Infinity, functions, class instances).
 */
function sortedCopy(value: unknown): unknown {
  if (value === null) return value;
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`Canonical JSON cannot hold the number ${String(value)}`);
      return value;
    case 'object': {
      if (Array.isArray(value)) {
        let copy: unknown[] | null = null;
        for (let i = 0; i < value.length; i++) {
          const item = sortedCopy(value[i]);
          if (item !== value[i] && copy === null) copy = value.slice();
          if (copy) copy[i] = item;
        }
        return copy ?? value;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) throw new TypeError('Canonical JSON holds plain objects only');
      const record = value as Record<string, unknown>;
      let previous: string | null = null;
      let sorted = true;
      let changed = false;
      const members: [string, unknown][] = [];
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        if (INTEGER_KEY.test(key)) throw INTEGER_KEYS;
        if (previous !== null && !(previous < key)) sorted = false;
        previous = key;
        const member = sortedCopy(record[key]);
        if (member !== record[key]) changed = true;
        members.push([key, member]);
      }
      if (sorted && !changed) return value;
      if (!sorted) members.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const copy: Record<string, unknown> = {};
      for (const [key, member] of members) copy[key] = member;
      return copy;
    }
    default:
      throw new TypeError(`Canonical JSON cannot hold a ${typeof value}`);
  }
}

/**
 * The canonical JSON text of a JSON value (see the file comment): members sorted (copying only
 * objects that are not sorted yet), then the native JSON.stringify. An object with integer-like
 * keys ("10", "9"), which JavaScript always enumerates first in numeric order, makes the whole
 * value go through JSON.stringify with the sorted list of every key instead: with a property
 * list, members are written in the list's order.
 */
export function canonicalJson(value: unknown): string {
  try {
    return JSON.stringify(sortedCopy(value));
  } catch (error) {
    if (error !== INTEGER_KEYS) throw error;
  }
  const all = new Set<string>();
  collectKeys(value, all);
  return JSON.stringify(value, [...all].sort());
}

function collectKeys(value: unknown, keys: Set<string>): void {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`Canonical JSON cannot hold the number ${String(value)}`);
    if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') throw new TypeError(`Canonical JSON cannot hold a ${typeof value}`);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectKeys(item, keys);
    return;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new TypeError('Canonical JSON holds plain objects only');
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    keys.add(key);
    collectKeys((value as Record<string, unknown>)[key], keys);
  }
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
  const bytes = typeof data === 'string' ? utf8(data) : data;
  return toHex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** The seal of a value: SHA-256 of its canonical JSON. */
export async function sealOf(value: unknown): Promise<string> {
  return sha256Hex(canonicalJson(value));
}
