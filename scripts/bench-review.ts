/// <reference types="chrome" />
/**
 * Access review benchmark (issue 9) in the real extension: a generated organisation of 20,000
 * accounts synced from the local fake (no added latency: the review, not the network, is
 * measured), a roster that leaves about half of them unflagged, then — through the same messages
 * the side panel sends, timed from an extension page until the answer arrives — "Start review",
 * "Keep all unflagged", "Sign off and lock" and "Export evidence" (every base64 part fetched and
 * decoded in the page, as the side panel does before saving the zip).
 */
import { performance } from 'node:perf_hooks';
import type { Page } from '@playwright/test';
import { parseRoster } from '../lib/roster';
import { generateOrganisation, rosterFor, startFakeAtlassian, type FakeAtlassian } from '../test/fake-atlassian/index';
import { launchExtension, type LaunchedExtension } from '../test/support/launch';
import { workerCdp } from './bench-sync';

export interface ReviewBenchFigures {
  accounts: number;
  inReview: number;
  startMs: number;
  keepUnflaggedMs: number;
  keptUnflagged: number;
  /** "Decide all shown" over the remaining undecided accounts (not a target; for scale). */
  bulkRevokeMs: number;
  signOffMs: number;
  evidenceMs: number;
  evidenceBytes: number;
}

async function ask<T>(page: Page, request: Record<string, unknown>): Promise<T> {
  const answer = (await page.evaluate((req) => chrome.runtime.sendMessage(req), request)) as T & { error?: string };
  if (answer && typeof answer === 'object' && 'error' in answer && answer.error) throw new Error(`${String(request.type)}: ${answer.error}`);
  return answer;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, Math.round(performance.now() - started)];
}

export async function benchReview(accounts = 20_000, seed = 7): Promise<ReviewBenchFigures> {
  const scenario = generateOrganisation({ seed, groups: 20, accounts });
  const site = scenario.sites[0];
  const identity = scenario.identities[0];
  if (!site || !identity?.apiTokens[0]) throw new Error('generateOrganisation gave no site or admin identity');
  const siteUrl = `https://${site.name}.atlassian.net`;
  // About half the accounts without a roster person: ~10,000 unflagged, the rest flagged.
  const roster = parseRoster(rosterFor(scenario, { seed, unattributedRate: 0.45 }), { today: new Date().toISOString().slice(0, 10) });
  if (roster.errors.length > 0) throw new Error(`The generated roster has errors: ${roster.errors[0]?.reason}`);

  let fake: FakeAtlassian | null = null;
  let ext: LaunchedExtension | null = null;
  try {
    fake = await startFakeAtlassian({ scenario });
    ext = await launchExtension({ hostResolverRules: fake.hostResolverRules });
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/sidepanel.html`);
    const worker = await ext.serviceWorker();
    const idle = () => worker.evaluate(async () => (globalThis as { accessLensIdle?: (s?: string) => Promise<void> }).accessLensIdle?.());

    await ask(page, { type: 'connectApiToken', siteUrl, email: identity.email, apiToken: identity.apiTokens[0] });
    const { groups } = await ask<{ groups: { id: string }[] }>(page, { type: 'listGroups', site: siteUrl });
    await ask(page, { type: 'saveGroups', site: siteUrl, groupIds: groups.map((g) => g.id) });
    await idle();
    await ask(page, { type: 'importRoster', fileName: 'roster.csv', people: roster.people });
    await idle();
    // The side panel has the live review open: the model is warm, as when an admin starts.
    const live = await ask<{ counts: { review: number } }>(page, { type: 'queryReview', site: siteUrl, limit: 1 });

    // BENCH_CPU_PROFILE=file: a CPU profile of the worker during the timed steps.
    const profilePath = process.env.BENCH_CPU_PROFILE;
    const cdp = profilePath ? await workerCdp(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const [, startMs] = await timed(() => ask(page, { type: 'startReview', site: siteUrl }));
    const [kept, keepUnflaggedMs] = await timed(() => ask<{ decided: number }>(page, { type: 'decideBulk', site: siteUrl, kind: 'keepUnflagged' }));
    const summary = await ask<{ summary: { reviewer: { accountId: string } } }>(page, { type: 'getCampaign', site: siteUrl });
    const undecided = await ask<{ total: number; rows: { account: { accountId: string } }[] }>(page, { type: 'queryCampaign', site: siteUrl, filter: 'undecided', limit: 0 });
    const [, bulkRevokeMs] = await timed(() =>
      ask(page, { type: 'decideBulk', site: siteUrl, kind: 'filter', filter: 'undecided', search: '', decision: 'revoke', note: 'Benchmark: offboard', expectedCount: undecided.total }),
    );
    await ask(page, { type: 'decide', site: siteUrl, accountId: summary.summary.reviewer.accountId, decision: 'keep', note: 'Own account, confirmed' }).catch(() => undefined);
    const [, signOffMs] = await timed(() => ask(page, { type: 'completeReview', site: siteUrl, signOff: 'Benchmark sign-off' }));
    const [bytes, evidenceMs] = await timed(() =>
      page.evaluate(async (s) => {
        // No named functions in here: tsx's keepNames would call a __name helper the page lacks.
        const parts: Uint8Array[] = [];
        let total = 0;
        let exportId = '';
        for (let p = 0, count = 1; p < count; p++) {
          const answer = (await chrome.runtime.sendMessage({ type: 'exportEvidence', site: s, part: p, ...(p > 0 ? { exportId } : {}) })) as {
            base64: string; parts: number; exportId: string; error?: string;
          };
          if (answer.error) throw new Error(answer.error);
          count = answer.parts;
          exportId = answer.exportId;
          const bin = atob(answer.base64);
          const out = new Uint8Array(bin.length);
          for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
          total += out.length;
          parts.push(out);
        }
        new Blob(parts as BlobPart[]);
        return total;
      }, siteUrl),
    );
    if (cdp && profilePath) {
      const { profile } = await cdp.send<{ profile: unknown }>('Profiler.stop');
      (await import('node:fs')).writeFileSync(profilePath, JSON.stringify(profile));
      await cdp.detach();
    }
    return {
      accounts,
      inReview: live.counts.review,
      startMs,
      keepUnflaggedMs,
      keptUnflagged: kept.decided,
      bulkRevokeMs,
      signOffMs,
      evidenceMs,
      evidenceBytes: bytes,
    };
  } finally {
    await ext?.close().catch(() => undefined);
    await fake?.close().catch(() => undefined);
  }
}

// `node --import tsx scripts/bench-review.ts [accounts]`
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchReview(Number(process.argv[2] ?? 20_000)), null, 2));
}
