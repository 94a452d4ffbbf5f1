/// <reference types="chrome" />
/**
 * Sync benchmark in the real extension (issues #3, #12): a generated organisation served by the
 * local fake Atlassian with a fixed latency per request, the built extension in Chromium, a sync of
 * the chosen groups driven through the same messages the options page sends. Measures wall time
 * from `saveGroups` to the background going idle, the requests the sync made (from the fake's
 * log), the fake's peak concurrency, and — through CDP on the service worker — its JS heap during
 * the sync. With `replay`, the same run then measures the floor under the sync: the exact requests
 * it made, sent again with plain `fetch` from the same service worker at the same concurrency and
 * nothing done with the answers (`replaySync`), so `sync ÷ replay` is what the sync's own work
 * costs on this machine, whatever its speed.
 */
import { performance } from 'node:perf_hooks';
import type { CDPSession, Page } from '@playwright/test';
import { generateOrganisation, startFakeAtlassian, type FakeAtlassian } from '../test/fake-atlassian/index';
import { launchExtension, type LaunchedExtension } from '../test/support/launch';

export interface SyncBenchOptions {
  accounts: number;
  groups: number;
  seed?: number;
  latencyMs?: number;
  /**
   * Every `gcEveryMs`, force a garbage collection in the worker before sampling, so the figure is
   * what the sync keeps alive rather than when V8 chose to collect. Perturbs timing a little, so
   * the timed run leaves it off (0).
   */
  gcEveryMs?: number;
  /** After the sync, replay its requests as the floor (see `replaySync`). Default false. */
  replay?: boolean;
}

/**
 * CPU seconds spent during a measured span, per Chromium process type (renderers summed: the
 * extension's service worker runs in one of them; `storage` is IndexedDB's backend, `network` the
 * network service) and by this Node process (`fake`: the fake Atlassian, and the driver). Unlike
 * wall time, this does not depend on what else the machine is running.
 */
export type CpuFigures = Record<string, number>;

/** The replay of a sync's requests (see `replaySync`). */
export interface ReplayFigures {
  /** Wall time of the replay, measured like the sync's: from Node, around the call that runs it. */
  wallMs: number;
  requests: number;
  /** Answers that were not 2xx (0 expected: the same requests the sync got answers to). */
  failed: number;
  peakConcurrency: number;
  cpuS: CpuFigures;
}

export interface SyncBenchFigures {
  accounts: number;
  groups: number;
  latencyMs: number;
  /** The run the extension recorded. */
  runStatus: string;
  accountsSynced: number;
  wallMs: number;
  requests: number;
  requestsByEndpoint: Record<string, number>;
  /** Per endpoint: ms after saveGroups of its first and last answer (where the time went). */
  endpointSpansMs: Record<string, [number, number]>;
  peakConcurrency: number;
  /** requests × latency ÷ concurrency: what the requests cost if nothing else did. */
  idealMs: number;
  /** The same-run replay of the sync's requests (with `replay`). */
  replay: ReplayFigures | null;
  /** When the run switched to its snapshot, in ms after saveGroups (the rest is the review's rebuild). */
  switchedMs: number | null;
  /** CPU seconds from saveGroups to idle (see CpuFigures). */
  cpuS: CpuFigures;
  /**
   * Highest `usedSize` seen by passive sampling until the snapshot switch (includes garbage not
   * yet collected).
   */
  peakHeapUsedMb: number;
  /**
   * Highest `usedSize` right after a forced GC (live heap) until the snapshot switch: what the
   * sync keeps alive. Null when gcEveryMs was 0. After the switch the background builds the
   * site's warm review model, which holds every account by design (lib/service/reviews.ts).
   */
  peakHeapLiveMb: number | null;
  /** The same, over the whole run until idle (the warm review model included). */
  peakHeapLiveToIdleMb: number | null;
  heapSamples: number;
}

/** The background's client limiter (lib/atlassian/limiter.ts DEFAULT_CONCURRENCY). */
export const SYNC_CONCURRENCY = 4;
const MB = 1024 * 1024;

/**
 * A CDP channel to the extension's service worker. Playwright's `newCDPSession` takes pages only,
 * so attach from a page session (non-flattened) and tunnel commands with sendMessageToTarget.
 */
export async function workerCdp(page: Page): Promise<{ send<T = unknown>(method: string, params?: object): Promise<T>; detach(): Promise<void> }> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
  if (!sw) throw new Error('No extension service worker target');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: sw.targetId, flatten: false });
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const msg = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } };
    const waiter = msg.id === undefined ? undefined : pending.get(msg.id);
    if (!waiter || msg.id === undefined) return;
    pending.delete(msg.id);
    if (msg.error) waiter.reject(new Error(msg.error.message));
    else waiter.resolve(msg.result);
  });
  return {
    send<T>(method: string, params: object = {}) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
      });
    },
    async detach() {
      await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
      await cdp.detach().catch(() => undefined);
    },
  };
}

interface HeapSample {
  /** Epoch ms (the same clock the run's `endedAt` is stamped with). */
  at: number;
  usedSize: number;
  /** Right after a forced GC: the live heap. */
  live: boolean;
}

/** Samples the worker heap until stopped; returns every sample. */
function sampleHeap(cdp: Awaited<ReturnType<typeof workerCdp>>, gcEveryMs: number): { stop(): Promise<HeapSample[]> } {
  let running = true;
  const samples: HeapSample[] = [];
  const usage = async () => (await cdp.send<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;
  const loop = (async () => {
    let lastGc = performance.now();
    while (running) {
      try {
        samples.push({ at: Date.now(), usedSize: await usage(), live: false });
        if (gcEveryMs > 0 && performance.now() - lastGc >= gcEveryMs) {
          await cdp.send('HeapProfiler.collectGarbage');
          samples.push({ at: Date.now(), usedSize: await usage(), live: true });
          lastGc = performance.now();
        }
      } catch {
        // The worker may be busy or restarting; a missed sample is not a failure.
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}

async function ask<T>(page: Page, request: Record<string, unknown>): Promise<T> {
  const answer = (await page.evaluate((req) => chrome.runtime.sendMessage(req), request)) as T & { error?: string };
  if (answer && typeof answer === 'object' && 'error' in answer && answer.error) {
    throw new Error(`${String(request.type)}: ${answer.error}`);
  }
  return answer;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** A meter of CPU time: the browser's processes (CDP SystemInfo) and this Node process. */
async function cpuMeter(ext: LaunchedExtension): Promise<() => Promise<CpuFigures>> {
  const browser = ext.context.browser();
  if (!browser) throw new Error('No browser handle for CPU figures');
  const session = await browser.newBrowserCDPSession();
  const read = async (): Promise<CpuFigures> => {
    const { processInfo } = await session.send('SystemInfo.getProcessInfo');
    const byType: CpuFigures = {};
    for (const p of processInfo) {
      const type = p.type.replace(/^network\.mojom\.NetworkService$/, 'network').replace(/^storage\.mojom\.StorageService$/, 'storage').toLowerCase();
      byType[type] = (byType[type] ?? 0) + p.cpuTime;
    }
    const own = process.cpuUsage();
    byType.fake = (own.user + own.system) / 1e6;
    return byType;
  };
  const start = await read();
  return async () => {
    const end = await read();
    const spent: CpuFigures = {};
    let total = 0;
    for (const [type, s] of Object.entries(end)) {
      spent[type] = round(s - (start[type] ?? 0), 2);
      total += spent[type] ?? 0;
    }
    spent.total = round(total, 2);
    await session.detach().catch(() => undefined);
    return spent;
  };
}

/** One request of the sync as the fake logged it, to send again. */
interface ReplayRequest {
  url: string;
  method: string;
  body: string | null;
}

/**
 * The floor under a sync: the requests it made (same URLs, methods and bodies, in the order they
 * were sent), sent again to the same fake (same latency) from the extension's own service worker
 * with plain `fetch`, the same Authorization header and the headers the client sends
 * (lib/atlassian/http.ts), at the same concurrency; each answer's body is read (the transfer is
 * part of a request) and nothing else is done with it.
 *
 * It runs in the same browser, right after the sync went idle, rather than in a fresh one: the
 * same worker, the same network process and the same warm connections to the fake the sync had
 * (a fresh browser would add its own start-up and cold TLS handshakes to the floor), and it runs
 * while the machine's load is the closest to the sync's. A forced GC first, so the sync's garbage
 * is not collected on the replay's time.
 */
async function replaySync(
  ext: LaunchedExtension,
  worker: Awaited<ReturnType<LaunchedExtension['serviceWorker']>>,
  cdp: Awaited<ReturnType<typeof workerCdp>>,
  fake: FakeAtlassian,
  authorization: string,
  requests: ReplayRequest[],
): Promise<ReplayFigures> {
  // The list goes to the worker first, so the timed call carries no data.
  await worker.evaluate((list) => {
    (globalThis as { benchReplay?: unknown }).benchReplay = list;
  }, requests);
  await cdp.send('HeapProfiler.collectGarbage');
  fake.log.reset();
  const cpu = await cpuMeter(ext);
  const started = performance.now();
  // No named functions inside: tsx would wrap them in a helper the worker does not have.
  const failed = await worker.evaluate(async ({ authorization, concurrency }) => {
    const list = (globalThis as { benchReplay?: { url: string; method: string; body: string | null }[] }).benchReplay ?? [];
    let next = 0;
    let failures = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < list.length) {
        const r = list[next++] as { url: string; method: string; body: string | null };
        const headers: Record<string, string> = { Accept: 'application/json', Authorization: authorization };
        if (r.method === 'POST') {
          headers['Content-Type'] = 'application/json';
          headers['X-Atlassian-Token'] = 'no-check';
        }
        const res = await fetch(r.url, { method: r.method, headers, ...(r.body === null ? {} : { body: r.body }) });
        await res.text();
        if (!res.ok) failures++;
      }
    }));
    delete (globalThis as { benchReplay?: unknown }).benchReplay;
    return failures;
  }, { authorization, concurrency: SYNC_CONCURRENCY });
  const wallMs = performance.now() - started;
  const cpuS = await cpu();
  if (process.env.BENCH_REQUEST_LOG) {
    const fs = await import('node:fs');
    const t0 = Math.min(...fake.log.entries.map((e) => e.at - e.durationMs));
    fs.writeFileSync(`${process.env.BENCH_REQUEST_LOG}.replay`, JSON.stringify(fake.log.entries.map(({ body: _b, ...e }) => ({ ...e, at: e.at - t0 }))));
  }
  return { wallMs: round(wallMs, 0), requests: fake.log.entries.length, failed, peakConcurrency: fake.log.peakConcurrency, cpuS };
}

export async function benchSync(opts: SyncBenchOptions): Promise<SyncBenchFigures> {
  const latencyMs = opts.latencyMs ?? 50;
  const scenario = generateOrganisation({ seed: opts.seed ?? 7, groups: opts.groups, accounts: opts.accounts });
  const site = scenario.sites[0];
  const identity = scenario.identities[0];
  if (!site || !identity || !identity.apiTokens[0]) throw new Error('generateOrganisation gave no site or admin identity');
  const siteUrl = `https://${site.name}.atlassian.net`;

  let fake: FakeAtlassian | null = null;
  let ext: LaunchedExtension | null = null;
  try {
    fake = await startFakeAtlassian({ scenario, faults: { latencyMs } });
    ext = await launchExtension({ hostResolverRules: fake.hostResolverRules });
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
    const worker = await ext.serviceWorker();

    await ask(page, { type: 'connectApiToken', siteUrl, email: identity.email, apiToken: identity.apiTokens[0] });
    const { groups } = await ask<{ groups: { id: string }[] }>(page, { type: 'listGroups', site: siteUrl });
    if (groups.length !== opts.groups) throw new Error(`listGroups gave ${groups.length} groups, expected ${opts.groups}`);

    const cdp = await workerCdp(page);
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    fake.log.reset();
    // Heap samples only for memory figures: sampling is CDP traffic through every process, which
    // would be charged to the sync's time and CPU.
    const sampler = (opts.gcEveryMs ?? 0) > 0 ? sampleHeap(cdp, opts.gcEveryMs ?? 0) : null;
    const profilePath = process.env.BENCH_CPU_PROFILE;
    if (profilePath) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }

    // BENCH_IDB_STATS=1, an investigation aid: every IndexedDB request and transaction the worker
    // makes during the sync, counted per store (and the JSON size of what is put), on stderr.
    // Measuring sizes costs time: not for timed runs.
    if (process.env.BENCH_IDB_STATS) {
      // A string: tsx's keepNames would call a __name helper the worker lacks.
      await worker.evaluate(`(() => {
        const stats = {};
        globalThis.idbStats = stats;
        const size = (v) => { try { return JSON.stringify(v)?.length ?? 0; } catch { return -1; } };
        for (const name of ['put', 'add', 'delete', 'get', 'getAll', 'clear', 'getAllKeys', 'count', 'openCursor']) {
          const orig = IDBObjectStore.prototype[name];
          IDBObjectStore.prototype[name] = function (...args) {
            const k = this.name + '.' + name;
            const e = (stats[k] ??= [0, 0]);
            e[0]++;
            if (name === 'put' || name === 'add') e[1] += size(args[0]);
            return orig.apply(this, args);
          };
        }
        const t = IDBDatabase.prototype.transaction;
        IDBDatabase.prototype.transaction = function (...args) {
          const k = 'tx ' + [].concat(args[0]).join('+') + ' ' + (args[1] ?? 'readonly');
          const e = (stats[k] ??= [0, 0]);
          e[0]++;
          return t.apply(this, args);
        };
      })()`);
    }
    const cpu = await cpuMeter(ext);
    const started = performance.now();
    const startedAt = Date.now();
    // All groups: the issue's spec ("100 groups"), not the default pre-selection.
    await ask(page, { type: 'saveGroups', site: siteUrl, groupIds: groups.map((g) => g.id) });
    await worker.evaluate(async () => {
      await (globalThis as { accessLensIdle?: (site?: string) => Promise<void> }).accessLensIdle?.();
    });
    const wallMs = performance.now() - started;
    const cpuS = await cpu();
    if (process.env.BENCH_IDB_STATS) {
      const stats = (await worker.evaluate('globalThis.idbStats')) as Record<string, [number, number]>;
      for (const [k, [n, bytes]] of Object.entries(stats).sort((a, b) => b[1][0] - a[1][0])) console.error(`${k.padEnd(60)} ${String(n).padStart(7)} ${bytes ? (bytes / 1e6).toFixed(2) + ' MB' : ''}`);
    }
    const heapSamples = (await sampler?.stop()) ?? [];
    if (profilePath) {
      // Investigation aid: a .cpuprofile of the worker during the sync (open in DevTools).
      const { profile } = await cdp.send<{ profile: unknown }>('Profiler.stop');
      const fs = await import('node:fs');
      fs.writeFileSync(profilePath, JSON.stringify(profile));
    }
    await cdp.detach();

    const peakConcurrency = fake.log.peakConcurrency;
    if (process.env.BENCH_REQUEST_LOG) {
      // Investigation aid: every request of the sync with when it was answered and how long it took.
      const fs = await import('node:fs');
      fs.writeFileSync(process.env.BENCH_REQUEST_LOG, JSON.stringify(fake.log.entries.map(({ body: _b, ...e }) => ({ ...e, at: e.at - startedAt }))));
    }
    const requestsByEndpoint: Record<string, number> = {};
    const endpointSpansMs: Record<string, [number, number]> = {};
    for (const e of fake.log.entries) {
      requestsByEndpoint[e.endpoint] = (requestsByEndpoint[e.endpoint] ?? 0) + 1;
      const at = e.at - startedAt;
      const span = endpointSpansMs[e.endpoint];
      endpointSpansMs[e.endpoint] = span ? [Math.min(span[0], at), Math.max(span[1], at)] : [at, at];
    }
    const requests = fake.log.entries.length;
    // Sent in the order they left (answer time minus time in the fake), as the sync sent them.
    const sent: ReplayRequest[] = fake.log.entries
      .map((e) => ({ e, sentAt: e.at - e.durationMs }))
      .sort((a, b) => a.sentAt - b.sentAt)
      .map(({ e }) => ({ url: `https://${e.host}${e.path}${e.query}`, method: e.method, body: e.body ?? null }));
    const authKinds = new Set(fake.log.entries.map((e) => e.auth));
    const diagnostics = await ask<{ history: { status: string; accounts: number; error: string | null; endedAt: string | null }[] }>(page, { type: 'getDiagnostics', site: siteUrl });
    const run = diagnostics.history[0];
    if (run?.status !== 'succeeded') throw new Error(`The sync did not succeed: ${run?.status ?? 'no run'} ${run?.error ?? ''}`);
    const switchedMs = run.endedAt ? Date.parse(run.endedAt) - startedAt : null;
    const switchedAt = run.endedAt ? Date.parse(run.endedAt) : Infinity;
    const peak = (samples: HeapSample[]) => (samples.length === 0 ? null : round(Math.max(...samples.map((h) => h.usedSize)) / MB));
    const duringSync = heapSamples.filter((h) => h.at <= switchedAt);

    let replay: ReplayFigures | null = null;
    if (opts.replay) {
      // The bench connects with a classic API token: every request of the sync was Basic email:token.
      if (authKinds.size !== 1 || !authKinds.has('basic')) throw new Error(`The sync's requests were not all Basic-authenticated (${[...authKinds].join(', ')})`);
      const authorization = `Basic ${Buffer.from(`${identity.email}:${identity.apiTokens[0]}`).toString('base64')}`;
      const replayCdp = await workerCdp(page);
      try {
        replay = await replaySync(ext, await ext.serviceWorker(), replayCdp, fake, authorization, sent);
      } finally {
        await replayCdp.detach();
      }
      if (replay.failed > 0) throw new Error(`The replay got ${replay.failed} answers that were not 2xx`);
    }

    return {
      accounts: opts.accounts,
      groups: opts.groups,
      latencyMs,
      runStatus: run.status,
      accountsSynced: run.accounts,
      wallMs: round(wallMs, 0),
      requests,
      requestsByEndpoint,
      endpointSpansMs,
      peakConcurrency,
      idealMs: round((requests * latencyMs) / SYNC_CONCURRENCY, 0),
      replay,
      switchedMs,
      cpuS,
      peakHeapUsedMb: peak(duringSync.filter((h) => !h.live)) ?? 0,
      peakHeapLiveMb: peak(duringSync.filter((h) => h.live)),
      peakHeapLiveToIdleMb: peak(heapSamples.filter((h) => h.live)),
      heapSamples: duringSync.length,
    };
  } finally {
    await ext?.close().catch(() => undefined);
    await fake?.close().catch(() => undefined);
  }
}

// `node --import tsx scripts/bench-sync.ts [accounts] [groups] [gcEveryMs] [latencyMs] [replay]`:
// one run, figures as JSON (replay: 1 to replay the sync's requests after it).
if (import.meta.url === `file://${process.argv[1]}`) {
  const accounts = Number(process.argv[2] ?? 20_000);
  const groups = Number(process.argv[3] ?? 100);
  const latencyMs = Number(process.argv[5] ?? 50);
  const replay = process.argv[6] === '1';
  console.log(JSON.stringify(await benchSync({ accounts, groups, gcEveryMs: Number(process.argv[4] ?? 0), latencyMs, replay }), null, 2));
}
