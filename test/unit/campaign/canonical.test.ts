import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sealOf, sha256Hex } from '../../../lib/campaign/canonical';

describe('canonical JSON', () => {
  it('sorts keys at every depth and leaves out insignificant whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text whatever order the keys were inserted in', () => {
    const one = { site: 's', rows: [{ id: 1, name: 'A' }], reviewer: { name: 'R', accountId: 'x' } };
    const two = { reviewer: { accountId: 'x', name: 'R' }, rows: [{ name: 'A', id: 1 }], site: 's' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('sorts keys by UTF-16 code units, not by locale', () => {
    expect(canonicalJson({ b: 0, B: 0, a: 0, é: 0, Z: 0 })).toBe('{"B":0,"Z":0,"a":0,"b":0,"é":0}');
  });

  it('sorts integer-like keys as text too (JavaScript would put them first, in numeric order)', () => {
    expect(canonicalJson({ a: 3, '9': 1, '10': 2 })).toBe('{"10":2,"9":1,"a":3}');
    expect(canonicalJson([{ '2': { b: 1, a: 0 } }, { z: 1 }])).toBe('[{"2":{"a":0,"b":1}},{"z":1}]');
  });

  it('writes strings and numbers as JSON does, drops undefined members, refuses what JSON cannot hold', () => {
    expect(canonicalJson({ s: 'line\n"quoted" ✓', n: 1.5e-7, i: -0, u: undefined, arr: [undefined] })).toBe('{"arr":[null],"i":0,"n":1.5e-7,"s":"line\\n\\"quoted\\" ✓"}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/plain objects/);
  });
});

describe('seal', () => {
  it('is the SHA-256 of the UTF-8 canonical text (checked against Node’s own hash)', async () => {
    const value = { name: 'Zoë', groups: ['b', 'a'], n: 2 };
    const expected = createHash('sha256').update(Buffer.from(canonicalJson(value), 'utf8')).digest('hex');
    expect(await sealOf(value)).toBe(expected);
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('is stable across key order and across runs, and changes with any value', async () => {
    const a = await sealOf({ x: 1, y: [1, 2], z: { q: 'w' } });
    const b = await sealOf({ z: { q: 'w' }, y: [1, 2], x: 1 });
    expect(a).toBe(b);
    expect(a).toBe(await sealOf(JSON.parse(JSON.stringify({ y: [1, 2], x: 1, z: { q: 'w' } }))));
    expect(await sealOf({ x: 1, y: [2, 1], z: { q: 'w' } })).not.toBe(a);
    expect(await sealOf({ x: 1, y: [1, 2], z: { q: 'W' } })).not.toBe(a);
  });
});
