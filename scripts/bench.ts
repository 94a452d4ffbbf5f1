/**
 * `npm run bench`: speed and memory figures, each printed with the target it is checked against
 * (PASS/MISS), and written to bench-output/bench.json. Benchmarks, not tests: nothing here fails
 * the build, and nothing in the test suite is timed.
 *
 *   npm run bench                      everything (builds the extension first)
 *   npm run bench -- matching roster   only these sections (matching, sync, memory, roster, review, surfaces, size)
 *   npm run bench -- --no-build        reuse .output/chrome-mv3 as it is
 *   npm run bench -- --json FILE       also write the figures as a JSON array of
 *                                      {"name","value","unit","target","ok"} (numbers; ok null
 *                                      for figures without a target)
 *
 * Figures depend on the machine and on what else runs on it: the load average is recorded
 * next to them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchMatching, type BenchResult } from './bench-matching';
import { benchReview } from './bench-review';
import { benchRosterImport } from './bench-roster';
import { entrypointSizes } from './bench-size';
import { benchSurfaces } from './bench-surfaces';
import { benchSync, SYNC_CONCURRENCY, type SyncBenchFigures } from './bench-sync';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');
const OUTPUT = path.join(REPO_ROOT, 'bench-output', 'bench.json');
const SECTIONS = ['matching', 'sync', 'memory', 'roster', 'review', 'surfaces', 'size'] as const;
type Section = (typeof SECTIONS)[number];

/**
 * Syncs at 50 ms per request: issue #3's 100 groups / 20,000 accounts, and issue #12's scale,
 * 200 groups / 100,000 accounts (the generator's maximum).
 */
const SYNC = { groups: 100, accounts: 20_000, latencyMs: 50, seed: 7 };
const SYNC_SIZES = [
  { groups: 100, accounts: 20_000 },
  { groups: 200, accounts: 100_000 },
] as const;
/**
 * Issue #12: the sync may cost at most 5% more than a plain replay of its own requests in the
 * same run (scripts/bench-sync.ts `replaySync`). The replay is the floor on this machine: what the
 * requests cost in this browser against this fake, with nothing done with the answers. The ratio
 * to the request-bound ideal (requests × latency ÷ concurrency) is shown beside it, without a
 * target: how far the floor itself is from the ideal depends on the machine.
 */
const REPLAY_RATIO_LIMIT = 1.05;
/**
 * Information beside the ratio: the 20,000-account sync again at a slower request pace. The
 * work the sync does per answer is the same; what changes is how much of it has to share the
 * machine's cores with the requests at once (the fake, the network service, IndexedDB and the
 * worker all run on them). A ratio that falls with the pace says the overhead at 50 ms is the
 * machine's CPU, not requests waiting on each other.
 */
const SLOW_LATENCY_MS = 200;
/**
 * Memory: the same sync at two sizes; the worker's live heap while it syncs (until the snapshot
 * switch) must not follow the size. The warm review model the background builds afterwards
 * holds every account by design, so it is shown beside the figure, not counted in it.
 */
const MEMORY_SIZES = [
  { groups: 100, accounts: 20_000 },
  { groups: 200, accounts: 100_000 },
] as const;
/**
 * PASS when the peak live heap at 100,000 accounts is at most 1.5× the one at 20,000. Five times
 * the data with a streaming sync should cost nothing extra; 1.5× leaves room for V8's own
 * variation between runs, while anything that holds the organisation in memory (even just its
 * account ids) grows with it and shows up well above that.
 */
const MEMORY_RATIO_LIMIT = 1.5;
const MATCH_TARGET_MS = 1000;
/** "Linear" growth: 4× the accounts may cost at most 4× the time, plus 10% for noise. */
const MATCH_GROWTH_LIMIT = 4.4;
const ROSTER_TARGET_MS = 3000;
const ROSTER_ROWS = 50_000;
/**
 * Gzipped JavaScript + CSS each entrypoint loads, in KiB. Set with room for the features the open
 * issues add (virtualised list, review campaigns, evidence zip); a dependency that blows one has
 * to earn its bytes or find a smaller way.
 */
const SIZE_BUDGET_KIB: Record<string, number> = {
  popup: 25,
  'side panel': 50,
  options: 80,
  background: 120,
  'content script': 10,
};
const OUTPUT_DIR = path.join(REPO_ROOT, '.output', 'chrome-mv3');
/** Issue 9: each access review step with 20,000 accounts, in Chromium. */
const REVIEW_ACCOUNTS = 20_000;
const REVIEW_TARGET_MS = 2000;
/** Issue 10: the surfaces at 100,000 accounts and a 50,000-person roster. */
const SURFACES = { accounts: 100_000, rosterPeople: 50_000 };
const SURFACE_TARGETS = { popupMs: 100, firstRowsMs: 300, changeMs: 100, frameMs: 16.7, markMs: 150, heapMb: 60, annotateMs: 5 };

interface Row {
  section: Section;
  name: string;
  /** The figure as printed. */
  figure: string;
  /** The target as printed ('' when none). */
  target: string;
  pass: boolean | null;
  /** The figure as a number, for `--json` (null for rows that only describe). */
  value: number | null;
  unit: string;
  targetValue: number | null;
}

/**
 * One figure with its unit and, optionally, an upper bound: `value <= bound` (or `<` when
 * `strict`) passes. The printed texts default to the number with its unit.
 */
function metric(
  section: Section,
  name: string,
  value: number,
  unit: string,
  opts: { bound?: number; strict?: boolean; figure?: string; target?: string } = {},
): Row {
  const { bound, strict = false } = opts;
  const show = (n: number) => (unit === 'ms' ? ms(n) : unit === '×' ? `${fmt(n, 2)}×` : `${fmt(n, unit === 'MB' || unit === 'KiB' ? 1 : 0)} ${unit}`);
  return {
    section,
    name,
    figure: opts.figure ?? show(value),
    target: opts.target ?? (bound === undefined ? '' : `${strict ? '<' : '≤'} ${show(bound)}`),
    pass: bound === undefined ? null : strict ? value < bound : value <= bound,
    value: Number.isFinite(value) ? value : null,
    unit,
    targetValue: bound ?? null,
  };
}

interface Report {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; loadAverageStart: number[]; loadAverageEnd?: number[] };
  rows: Row[];
  figures: Partial<Record<Section, unknown>>;
  errors: Partial<Record<Section, string>>;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (n: number) => `${fmt(n)} ms`;
const load = () => os.loadavg().map((n) => Number(n.toFixed(2)));

function parseArgs(argv: string[]): { sections: Section[]; build: boolean; json: string | null } {
  const build = !argv.includes('--no-build');
  const jsonAt = argv.indexOf('--json');
  const json = jsonAt === -1 ? null : (argv[jsonAt + 1] ?? null);
  if (jsonAt !== -1 && (json === null || json.startsWith('--'))) throw new Error('--json needs a file name: npm run bench -- --json figures.json');
  const named = argv.filter((a, i) => !a.startsWith('--') && !(jsonAt !== -1 && i === jsonAt + 1));
  for (const n of named) if (!SECTIONS.includes(n as Section)) throw new Error(`Unknown section "${n}" (choose from ${SECTIONS.join(', ')})`);
  return { sections: named.length > 0 ? (named as Section[]) : [...SECTIONS], build, json };
}

function build(): void {
  const started = performance.now();
  process.stdout.write('Building the extension (wxt build)… ');
  execFileSync('npx', ['wxt', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  console.log(`done in ${fmt((performance.now() - started) / 1000, 1)} s`);
}

function figure(result: BenchResult | undefined, key: string): number {
  const v = result?.figures[key];
  if (typeof v !== 'number') throw new Error(`bench-matching gave no ${key} for ${result?.name ?? 'a missing result'}`);
  return v;
}

async function matchingRows(report: Report): Promise<Row[]> {
  const results = await benchMatching();
  report.figures.matching = results;
  const byName = (prefix: string) => results.find((r) => r.name.startsWith(prefix));
  const rows: Row[] = [];
  for (const size of ['25,000', '50,000', '100,000']) {
    const r = byName(`matchAccounts ${size} accounts`);
    const best = figure(r, 'bestOf3Ms');
    const isTarget = size === '100,000';
    rows.push(
      metric('matching', `Match ${size} accounts × 50,000 people (Node, best of 3)`, best, 'ms', {
        figure: `${ms(best)} (${fmt(figure(r, 'perAccountUs'), 2)} µs/account)`,
        ...(isTarget ? { bound: MATCH_TARGET_MS, strict: true } : {}),
      }),
    );
  }
  const ratio = figure(byName('matchAccounts 25,000'), 'bestOf3Ms') > 0
    ? figure(byName('matchAccounts 100,000'), 'bestOf3Ms') / figure(byName('matchAccounts 25,000'), 'bestOf3Ms')
    : Infinity;
  rows.push(
    metric('matching', 'Match growth 25k → 100k accounts (time ratio)', ratio, '×', {
      bound: MATCH_GROWTH_LIMIT,
      figure: `${fmt(ratio, 2)}× (marginal ${fmt(figure(byName('matchAccounts growth'), 'marginalPerAccountUs'), 2)} µs/account)`,
      target: `≤ ${MATCH_GROWTH_LIMIT}× (linear)`,
    }),
  );
  rows.push(metric('matching', 'Build review 100,000 accounts × 50,000 people (Node)', figure(byName('buildReview'), 'bestOf3Ms'), 'ms'));
  rows.push(metric('matching', 'Parse 50,000-row roster CSV (Node)', figure(byName('parseRoster'), 'bestOf3Ms'), 'ms'));
  return rows;
}

async function syncRows(report: Report): Promise<Row[]> {
  const runs: SyncBenchFigures[] = [];
  const rows: Row[] = [];
  for (const size of SYNC_SIZES) {
    const f = await benchSync({ ...SYNC, ...size, replay: true });
    runs.push(f);
    const replay = f.replay;
    if (!replay) throw new Error('The sync bench gave no replay');
    const perEndpoint = Object.entries(f.requestsByEndpoint).map(([k, n]) => `${n} ${shortEndpoint(k)}`).join(', ');
    const label = `${fmt(f.accounts)} accounts`;
    rows.push(
      metric('sync', `Sync ${label} in ${f.groups} groups, ${f.latencyMs} ms/request (Chromium)`, f.wallMs, 'ms', {
        figure: `${ms(f.wallMs)} (snapshot switched at ${f.switchedMs === null ? '?' : ms(f.switchedMs)})`,
      }),
      metric('sync', `  replay of its requests (plain fetch, same worker, ${SYNC_CONCURRENCY} at once)`, replay.wallMs, 'ms', {
        figure: `${ms(replay.wallMs)} (peak ${replay.peakConcurrency} in flight)`,
      }),
      metric('sync', `  sync ÷ replay, ${label}`, f.wallMs / replay.wallMs, '×', {
        bound: REPLAY_RATIO_LIMIT,
        figure: `${fmt(f.wallMs / replay.wallMs, 2)}×${f.switchedMs === null ? '' : ` (to the snapshot switch ${fmt(f.switchedMs / replay.wallMs, 2)}×)`}`,
        target: `≤ ${REPLAY_RATIO_LIMIT}× (same run)`,
      }),
      metric('sync', `  sync ÷ (requests × latency ÷ ${SYNC_CONCURRENCY}), ${label}`, f.wallMs / f.idealMs, '×', {
        figure: `${fmt(f.wallMs / f.idealMs, 2)}× of ${ms(f.idealMs)} (replay: ${fmt(replay.wallMs / f.idealMs, 2)}×)`,
        target: '(information)',
      }),
      metric('sync', `  requests made by the sync, ${label}`, f.requests, 'requests', { figure: `${f.requests} (${perEndpoint})` }),
      metric('sync', `  peak requests in flight (fake Atlassian), ${label}`, f.peakConcurrency, 'requests', { bound: SYNC_CONCURRENCY, figure: String(f.peakConcurrency), target: `≤ ${SYNC_CONCURRENCY}` }),
      {
        section: 'sync',
        name: `  phases (first → last answer), ${label}`,
        figure: Object.entries(f.endpointSpansMs).map(([k, [a, b]]) => `${shortEndpoint(k)} ${fmt(a / 1000, 1)}–${fmt(b / 1000, 1)} s`).join(', '),
        target: '',
        pass: null,
        value: null,
        unit: '',
        targetValue: null,
      },
    );
  }
  const slow = await benchSync({ ...SYNC, latencyMs: SLOW_LATENCY_MS, replay: true });
  runs.push(slow);
  if (!slow.replay) throw new Error('The sync bench gave no replay');
  const slowRatio = slow.wallMs / slow.replay.wallMs;
  rows.push(
    metric('sync', `  sync ÷ replay, ${fmt(slow.accounts)} accounts at ${SLOW_LATENCY_MS} ms/request (less CPU contention)`, slowRatio, '×', {
      figure: `${fmt(slowRatio, 2)}× (${ms(slow.wallMs)} ÷ ${ms(slow.replay.wallMs)}${slow.switchedMs === null ? '' : `; to the snapshot switch ${fmt(slow.switchedMs / slow.replay.wallMs, 2)}×`})`,
      target: '(information)',
    }),
  );
  report.figures.sync = runs;
  return rows;
}

function shortEndpoint(endpoint: string): string {
  if (endpoint.includes('membersByGroupId')) return 'membersByGroupId';
  if (endpoint.includes('users-bulk')) return 'users-bulk';
  if (endpoint.includes('/user/bulk')) return 'Jira user/bulk';
  return endpoint;
}

async function memoryRows(report: Report): Promise<Row[]> {
  const runs: SyncBenchFigures[] = [];
  for (const size of MEMORY_SIZES) {
    // A forced GC every 500 ms, then a sample: the live heap, not V8's collection timing.
    runs.push(await benchSync({ ...SYNC, ...size, gcEveryMs: 500 }));
  }
  report.figures.memory = runs;
  const rows: Row[] = runs.map((r) =>
    metric('memory', `Worker live heap, sync of ${fmt(r.accounts)} accounts in ${r.groups} groups`, r.peakHeapLiveMb ?? NaN, 'MB', {
      figure: `live ${fmt(r.peakHeapLiveMb ?? NaN, 1)} MB, used ${fmt(r.peakHeapUsedMb, 1)} MB (peaks until the snapshot switch; ${r.heapSamples} samples, ${ms(r.wallMs)}; ${fmt(r.peakHeapLiveToIdleMb ?? NaN, 1)} MB live with the warm review model after it)`,
    }),
  );
  const [small, big] = runs;
  const ratio = (big?.peakHeapLiveMb ?? NaN) / (small?.peakHeapLiveMb ?? NaN);
  rows.push(
    metric('memory', `Worker live heap ${fmt(MEMORY_SIZES[1].accounts)} ÷ ${fmt(MEMORY_SIZES[0].accounts)} accounts`, ratio, '×', {
      bound: MEMORY_RATIO_LIMIT,
      target: `≤ ${MEMORY_RATIO_LIMIT}× (does not grow with the org)`,
    }),
  );
  return rows;
}

async function rosterRows(report: Report): Promise<Row[]> {
  const f = await benchRosterImport(ROSTER_ROWS);
  report.figures.roster = f;
  return [
    metric('roster', `Import ${fmt(f.rows)}-row roster in the options page (Chromium)`, f.totalMs, 'ms', {
      bound: ROSTER_TARGET_MS,
      strict: true,
      figure: `${ms(f.totalMs)} (preview ${ms(f.previewMs)}, import ${ms(f.importMs)})`,
    }),
  ];
}

const KEEP_UNFLAGGED_AT_LEAST = 10_000;

async function reviewRows(report: Report): Promise<Row[]> {
  const f = await benchReview(REVIEW_ACCOUNTS);
  report.figures.review = f;
  const cpuText = (v: number | null) => (v === null ? '' : `, CPU ${ms(v)}`);
  const row = (name: string, value: number, cpuMs: number | null, extra = ''): Row =>
    metric('review', name, value, 'ms', { bound: REVIEW_TARGET_MS, strict: true, figure: `${ms(value)}${cpuText(cpuMs)}${extra}` });
  return [
    row(`Start review, ${fmt(f.accounts)} accounts (${fmt(f.inReview)} in review; Chromium)`, f.startMs, f.cpuMs.start),
    // The issue's scale: over 10,000 accounts kept at once (fewer would not count as a pass).
    (() => {
      const keep = row(`Keep all unflagged (${fmt(f.keptUnflagged)} accounts; the target is for 10,000 or more)`, f.keepUnflaggedMs, f.cpuMs.keepUnflagged);
      return { ...keep, pass: keep.pass === true && f.keptUnflagged >= KEEP_UNFLAGGED_AT_LEAST };
    })(),
    metric('review', '  Decide all shown: Revoke the rest', f.bulkRevokeMs, 'ms'),
    row('Sign off and lock (seal)', f.signOffMs, f.cpuMs.signOff),
    row('Export evidence (zip built, fetched and decoded in the page)', f.evidenceMs, f.cpuMs.evidence, ` (${fmt(f.evidenceBytes / 1024 / 1024, 1)} MB zip, by ${f.evidenceVia})`),
  ];
}

async function sizeRows(report: Report): Promise<Row[]> {
  if (!fs.existsSync(path.join(OUTPUT_DIR, 'manifest.json'))) throw new Error('No build in .output/chrome-mv3: run without --no-build');
  const sizes = entrypointSizes(OUTPUT_DIR);
  report.figures.size = sizes;
  return sizes.map((e) =>
    metric('size', `JS + CSS of the ${e.name}, gzipped (${e.files.length} file${e.files.length === 1 ? '' : 's'})`, e.gzipBytes / 1024, 'KiB', {
      bound: SIZE_BUDGET_KIB[e.name],
    }),
  );
}

/** `--json FILE`: every figure with a number, as `{name, value, unit, target, ok}`. */
function jsonFigures(rows: Row[]): { name: string; value: number; unit: string; target: number | null; ok: boolean | null }[] {
  return rows
    .filter((r): r is Row & { value: number } => r.value !== null)
    .map((r) => ({ name: r.name.trim(), value: r.value, unit: r.unit, target: r.targetValue, ok: r.pass }));
}

async function surfacesRows(report: Report): Promise<Row[]> {
  const f = await benchSurfaces(SURFACES);
  report.figures.surfaces = f;
  const t = SURFACE_TARGETS;
  const row = (name: string, value: number, target: number, unit = 'ms', note = ''): Row =>
    metric('surfaces', name, value, unit, { bound: target, strict: true, figure: `${fmt(value, 1)} ${unit}${note}`, target: `< ${fmt(target, 0)} ${unit}` });
  const mark = f.markExternalMs + f.backToListMs;
  return [
    metric('surfaces', `  set-up: sync ${fmt(f.accounts)} accounts (${fmt(f.accountsInReview)} in review), import ${fmt(f.rosterPeople)}-person roster`, f.syncMs, 'ms', {
      figure: `sync ${ms(f.syncMs)}, import ${ms(f.rosterImportMs)}${f.rosterDuplicatesDropped ? ` (${f.rosterDuplicatesDropped} generator-repeated emails dropped)` : ''}`,
    }),
    row('Popup: counts visible after opening', f.popupCountsMs, t.popupMs),
    metric('surfaces', '  popup page load alone: HTML received / its scripts run (DOMContentLoaded)', f.popupDomContentLoadedMs, 'ms', {
      figure: `${ms(f.popupHtmlMs)} / ${ms(f.popupDomContentLoadedMs)}`,
    }),
    row('Side panel: first rows after opening', f.panelFirstRowsMs, t.firstRowsMs),
    row('Side panel: filter change → list updated', f.filterChangeMs, t.changeMs),
    row('Side panel: search change → list updated', f.searchChangeMs, t.changeMs),
    row('Side panel: sort change → list updated', f.sortChangeMs, t.changeMs),
    {
      ...metric('surfaces', `Side panel: scrolling fast to the end (${f.scrollFrames} frames), p95 frame`, f.scrollFrameP95Ms, 'ms', { bound: t.frameMs }),
      figure: `p95 frame ${fmt(f.scrollFrameP95Ms, 1)} ms, max ${fmt(f.scrollFrameMaxMs, 1)} ms, ${f.scrollDroppedFrames} over 25 ms${f.scrolledToEnd ? '' : ', END NOT REACHED'}`,
      target: `p95 ≤ ${t.frameMs} ms (60 Hz)`,
      pass: f.scrolledToEnd && f.scrollFrameP95Ms <= t.frameMs + 0.5,
    },
    row('Mark an account External → account and list updated', mark, t.markMs, 'ms', ` (mark ${fmt(f.markExternalMs, 1)} + back to list ${fmt(f.backToListMs, 1)})`),
    row('Side panel JS heap (after scrolling to the end)', f.panelHeapMb, t.heapMb, 'MB'),
    {
      ...row(`Badges: annotate ${f.badgeLinks} person links (${f.badgesExpected} flagged), main-thread time`, f.annotateMainThreadMs, t.annotateMs),
      // The real content script must have shown every expected badge, too.
      pass: f.annotateMainThreadMs < t.annotateMs && f.badgesShown === f.badgesExpected,
      figure: `${fmt(f.annotateMainThreadMs, 2)} ms (thread CPU ${fmt(f.annotateThreadCpuMs, 1)} ms; content script showed ${f.badgesShown} badges)`,
    },
    metric('surfaces', `  floor: the same links, a bare script adds ${f.badgesExpected} plain spans (no shadow root, no style) and lays out`, f.annotateFloorMs, 'ms', {
      figure: `${fmt(f.annotateFloorMs, 2)} ms (thread CPU ${fmt(f.annotateFloorThreadCpuMs, 1)} ms)`,
    }),
    metric('surfaces', `  floor with a closed shadow root per badge (one shared sheet, a span inside)`, f.annotateShadowFloorMs, 'ms', {
      figure: `${fmt(f.annotateShadowFloorMs, 2)} ms (thread CPU ${fmt(f.annotateShadowFloorThreadCpuMs, 1)} ms)`,
    }),
  ];
}

function printTable(rows: Row[]): void {
  const result = (r: Row) => (r.pass === null ? '' : r.pass ? 'PASS' : 'MISS');
  const headers = ['Benchmark', 'Figure', 'Target', 'Result'];
  const cells = rows.map((r) => [r.name, r.figure, r.target, result(r)]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) => c.map((s, i) => s.padEnd(widths[i] as number)).join(' │ ');
  console.log();
  console.log(line(headers));
  console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const c of cells) console.log(line(c));
  console.log();
}

async function main(): Promise<void> {
  const { sections, build: shouldBuild, json } = parseArgs(process.argv.slice(2));
  const report: Report = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadAverageStart: load(),
    },
    rows: [],
    figures: {},
    errors: {},
  };
  console.log(`Access Lens benchmarks — ${report.machine.cpus} CPUs, load average ${report.machine.loadAverageStart.join(' ')}`);
  if (shouldBuild && sections.some((s) => s !== 'matching')) build();

  const runners: Record<Section, (r: Report) => Promise<Row[]>> = {
    matching: matchingRows,
    sync: syncRows,
    memory: memoryRows,
    roster: rosterRows,
    size: sizeRows,
    review: reviewRows,
    surfaces: surfacesRows,
  };
  for (const section of sections) {
    const started = performance.now();
    process.stdout.write(`Running ${section}… `);
    try {
      const rows = await runners[section](report);
      report.rows.push(...rows);
      console.log(`${fmt((performance.now() - started) / 1000, 1)} s`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      report.errors[section] = message;
      console.log(`FAILED: ${message}`);
    }
  }
  report.machine.loadAverageEnd = load();
  printTable(report.rows);
  console.log(`Load average at the end: ${report.machine.loadAverageEnd.join(' ')} (figures are slower on a busy machine).`);
  fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
  fs.writeFileSync(OUTPUT, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Figures written to ${path.relative(process.cwd(), OUTPUT)}`);
  if (json) {
    fs.mkdirSync(path.dirname(path.resolve(json)), { recursive: true });
    fs.writeFileSync(json, `${JSON.stringify(jsonFigures(report.rows), null, 2)}\n`);
    console.log(`JSON figures written to ${json}`);
  }
  // A benchmark that could not run is an error; a MISS is a figure, not a failure.
  if (Object.keys(report.errors).length > 0) process.exitCode = 1;
}

await main();
