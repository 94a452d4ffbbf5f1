import { describe, expect, it } from 'vitest';
import { Utf8Sink, utf8 } from '../../lib/utf8';

const reference = (text: string) => new TextEncoder().encode(text);

describe('utf8', () => {
  it.each([
    ['empty', ''],
    ['ASCII', 'plain ASCII, with "quotes" and\r\nline breaks'],
    ['two-byte characters', 'Zoë Müller — Ærøskøbing'],
    ['all three-byte (grows the buffer)', '漢字かな交じり文'.repeat(50)],
    ['astral characters (surrogate pairs) at every offset', '😀a😀bb😀ccc'.repeat(40)],
    ['a lone surrogate (replaced as TextEncoder replaces it)', `x\ud800y\udc00z`],
    ['mostly ASCII with a non-ASCII tail', `${'a'.repeat(10_000)}${'é'.repeat(5_000)}${'😀'.repeat(3_000)}`],
  ])('encodes %s exactly as TextEncoder.encode does', (_name, text) => {
    const bytes = utf8(text);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(bytes)).toEqual(Array.from(reference(text)));
  });

  it('returns a buffer of exactly the encoded length (no spare bytes hashed or zipped)', () => {
    const text = `${'x'.repeat(1000)}—`;
    expect(utf8(text).buffer.byteLength).toBe(reference(text).length);
  });

  it('matches TextEncoder over random strings of every kind of code unit', () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const pools = [
      () => 0x20 + Math.floor(random() * 0x5f),
      () => 0x80 + Math.floor(random() * 0x780),
      () => 0x800 + Math.floor(random() * 0xd000),
      () => 0xd800 + Math.floor(random() * 0x800),
    ];
    for (let n = 0; n < 200; n++) {
      const units = Array.from({ length: Math.floor(random() * 300) }, () => (pools[Math.floor(random() * pools.length)] as () => number)());
      const text = String.fromCharCode(...units);
      expect(Array.from(utf8(text))).toEqual(Array.from(reference(text)));
    }
  });

  it('a sink written piece by piece holds the bytes of the whole text, however it had to grow', () => {
    const pieces = ['', 'ascii ', 'Zoë — ', '漢字'.repeat(100), '😀', 'x'.repeat(70_000), `\ud800`, 'end'];
    for (const capacity of [0, 1, 17, 1 << 20]) {
      const sink = new Utf8Sink(capacity);
      for (const piece of pieces) sink.write(piece);
      const whole = reference(pieces.join(''));
      expect(sink.length).toBe(whole.length);
      expect(sink.bytes().buffer.byteLength).toBe(whole.length);
      expect(Array.from(sink.bytes())).toEqual(Array.from(whole));
    }
  });
});
