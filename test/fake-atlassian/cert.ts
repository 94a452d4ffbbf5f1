/**
 * A self-signed TLS certificate for every host the fake answers. Chromium is started with
 * --ignore-certificate-errors and the Node fetch wrapper skips verification, so self-signed is
 * enough; the SANs still name the real hosts so tools that look at them see sensible values.
 */
import { generate } from 'selfsigned';

export const CERT_HOSTS = ['auth.atlassian.com', 'api.atlassian.com', '*.atlassian.net', 'admin.atlassian.com', 'localhost'];

let cached: Promise<{ key: string; cert: string }> | null = null;

/** Generated once per process (EC P-256: milliseconds) and shared by every fake instance. */
export function fakeCertificate(): Promise<{ key: string; cert: string }> {
  cached ??= generate([{ name: 'commonName', value: 'auth.atlassian.com' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 30 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...CERT_HOSTS.map((value) => ({ type: 2 as const, value })), { type: 7 as const, ip: '127.0.0.1' }],
      },
    ],
  }).then((r) => ({ key: r.private, cert: r.cert }));
  return cached;
}
