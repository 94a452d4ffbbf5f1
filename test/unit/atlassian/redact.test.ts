import { describe, expect, it } from 'vitest';
import { base64Utf8, basicAuthSecrets, clientSecrets, redact, REDACTED } from '../../../lib/atlassian/redact';

const EMAIL = 'zoë+ops@acme.com';
const TOKEN = 'ATATT3x/FfGF0+abc=de';

describe('redact', () => {
  it('replaces the secret itself, every occurrence', () => {
    expect(redact(`a ${TOKEN} b ${TOKEN}`, [TOKEN])).toBe(`a ${REDACTED} b ${REDACTED}`);
  });

  it('replaces the Basic value base64(email:token) in the standard, unpadded and URL-safe alphabets', () => {
    const basic = base64Utf8(`${EMAIL}:${TOKEN}`);
    const unpadded = basic.replace(/=+$/, '');
    const urlSafe = unpadded.replace(/\+/g, '-').replace(/\//g, '_');
    expect(basic).not.toBe(unpadded); // the fixture really has padding to strip
    for (const form of [basic, `Basic ${basic}`, unpadded, urlSafe]) {
      const out = redact(`Authorization: ${form} was refused`, basicAuthSecrets(EMAIL, TOKEN));
      expect(out).not.toContain(unpadded.slice(0, 20));
      expect(out).not.toContain(urlSafe.slice(0, 20));
      expect(out).toContain(REDACTED);
    }
  });

  it('replaces percent-encoded forms in either hex case, and form encoding', () => {
    const encoded = encodeURIComponent(TOKEN); // ATATT3x%2FFfGF0%2Babc%3Ddef
    expect(encoded).not.toBe(TOKEN);
    for (const form of [encoded, encoded.toLowerCase(), encoded.replace(/%2F/g, '%2f')]) {
      expect(redact(`?api_token=${form}&x=1`, [TOKEN])).toBe(`?api_token=${REDACTED}&x=1`);
    }
    const spaced = 'secret with spaces';
    expect(redact('body: secret+with+spaces;', [spaced])).toBe(`body: ${REDACTED};`);
    expect(redact('q=secret%20with%20spaces', [spaced])).toBe(`q=${REDACTED}`);
  });

  it('replaces the URL-encoded Basic value', () => {
    const basic = base64Utf8(`${EMAIL}:${TOKEN}`);
    const out = redact(`auth=${encodeURIComponent(`Basic ${basic}`)}`, basicAuthSecrets(EMAIL, TOKEN));
    expect(out).not.toContain(encodeURIComponent(basic).slice(0, 20));
  });

  it('replaces base64(clientId:clientSecret) and the client secret', () => {
    const out = redact(`client ${base64Utf8('cid:the-secret')} and the-secret`, clientSecrets('cid', 'the-secret'));
    expect(out).toBe(`client ${REDACTED} and ${REDACTED}`);
  });

  it('leaves text without secrets alone and ignores secrets too short to be safe to replace', () => {
    expect(redact('nothing to hide here', [TOKEN])).toBe('nothing to hide here');
    expect(redact('abc abc', ['abc'])).toBe('abc abc');
  });
});
