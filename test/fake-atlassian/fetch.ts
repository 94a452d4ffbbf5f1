/**
 * A `fetch` for Node that sends real Atlassian URLs to the fake: it connects to 127.0.0.1:<port>,
 * keeps the original Host header (and SNI), skips certificate checks, and returns a WHATWG
 * `Response`. Built on node:https because undici is not a dependency here.
 *
 * Redirects are never followed (as with `redirect: 'manual'`, but the 3xx and its Location stay
 * readable), since OAuth redirects point at chromiumapp.org, which only a browser can "open".
 */
import https from 'node:https';

export interface FakeFetch {
  fetch: typeof fetch;
  close(): void;
}

export function createFakeFetch(port: number): FakeFetch {
  const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false, maxSockets: 64 });

  async function fakeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    // Let the platform normalise method, headers and body (URLSearchParams → form content-type …).
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.protocol !== 'https:') throw new TypeError(`fake fetch: only https URLs are served, got ${url.href}`);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : null;
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => {
      headers[k] = v;
    });
    headers.host = url.host;
    if (body) headers['content-length'] = String(body.length);

    return new Promise<Response>((resolve, reject) => {
      const signal = init?.signal ?? null;
      if (signal?.aborted) {
        reject(signal.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
        return;
      }
      const req = https.request(
        { host: '127.0.0.1', port, method: request.method, path: url.pathname + url.search, headers, agent, servername: url.hostname },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => reject(new TypeError('fetch failed', { cause: e })));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const out = new Headers();
            for (const [k, v] of Object.entries(res.headers)) {
              if (Array.isArray(v)) v.forEach((x) => out.append(k, x));
              else if (v !== undefined) out.set(k, v);
            }
            const noBody = request.method === 'HEAD' || status === 204 || status === 304;
            const response = new Response(noBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers: out });
            Object.defineProperty(response, 'url', { value: url.href });
            resolve(response);
          });
        },
      );
      // A dropped socket surfaces like undici's network error.
      req.on('error', (e) => reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: e })));
      signal?.addEventListener('abort', () => req.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted')), { once: true });
      if (body) req.write(body);
      req.end();
    });
  }

  return { fetch: fakeFetch as typeof fetch, close: () => agent.destroy() };
}
