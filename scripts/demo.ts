/**
 * `npm run demo`: the extension's main job, end to end, against the built-in demo site.
 * Starts the local fake of Atlassian Cloud with the demo organisation, launches Chromium with the
 * built extension (a window where a display exists, headless otherwise), and walks the job as an
 * admin would: connect over OAuth (consent screen included), keep the default groups, sync,
 * import the demo roster, review, then run an access review (start, decide every account, sign
 * off, export the evidence package). Prints what a reviewer sees and saves screenshots, the
 * auditor's export and the evidence zip under demo-output/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { FLAG_LABELS } from '../lib/review/filters';
import type { DiagnosticsResponse, GroupsResponse, ReviewQueryResponse, StateResponse } from '../lib/messages';
import type { Flag, ReviewRow } from '../lib/model';
import { loadScenario, startFakeAtlassian } from '../test/fake-atlassian/index';
import { userExportFor, withOrganisation } from '../test/fake-atlassian/user-export';
import { strFromU8, unzipSync } from 'fflate';
import type { CampaignSummary } from '../lib/campaign/types';
import { ask, connectWithOAuth, DEMO, groupSelection, importRoster, reviewOf } from '../test/support/driver';
import { launchExtension, REPO_ROOT } from '../test/support/launch';
import { pageBadges } from '../test/support/inspect';

const OUT = path.join(REPO_ROOT, 'demo-output');
const ROSTER = path.join(REPO_ROOT, 'test/fake-atlassian/scenarios/demo-roster.csv');
const FLAG_TITLES: Record<Flag, string> = FLAG_LABELS;

const say = (line = '') => process.stdout.write(`${line}\n`);
const step = (n: number, text: string) => say(`\n${n}. ${text}`);

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function describeRow(row: ReviewRow): string {
  const a = row.account;
  const email = a.email ? `${a.email}${a.emailSource === 'jira' ? ' (from Jira)' : ''}` : 'email hidden';
  return `${a.displayName} <${email}> — ${a.role}, ${a.groups.map((g) => g.name).join(', ')}`;
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const headless = !process.env.DISPLAY;
  // The demo organisation, with its organisation's admin data (last activity, 2SV) behind it.
  const today = new Date().toISOString().slice(0, 10);
  const fake = await startFakeAtlassian({ scenario: withOrganisation(loadScenario('demo'), { today }), consent: 'page' });
  const ext = await launchExtension({ hostResolverRules: fake.hostResolverRules, headless });
  try {
    say(`Access Lens demo — fake Atlassian Cloud on https://127.0.0.1:${fake.port}, Chromium ${headless ? 'headless' : 'in a window'}`);
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);

    step(1, `Connect ${DEMO.siteUrl} with the admin's own OAuth app (client id ${DEMO.clientId})`);
    say(`   Callback URL to register: https://${ext.extensionId}.chromiumapp.org/`);
    const consentOpened = ext.context.waitForEvent('page', (p) => p.url().startsWith('https://auth.atlassian.com/'));
    await connectWithOAuth(options);
    const consent = await consentOpened;
    say('   Atlassian consent screen opened → Accept');
    await consent.getByRole('button', { name: 'Accept' }).click();
    const connected = await waitFor('the connection', async () => {
      const s = await ask<StateResponse>(options, { type: 'getState' });
      return s.sites.find((x) => x.site === DEMO.siteUrl && x.status === 'connected');
    });
    const diag = await ask<DiagnosticsResponse>(options, { type: 'getDiagnostics', site: DEMO.siteUrl });
    say(`   Connected to "${connected.siteName}" (cloud id ${connected.cloudId}) as ${diag.connectedAs ?? 'unknown'}`);

    step(2, 'Groups to monitor (defaults pre-selected)');
    const groups = await groupSelection(options);
    const listed = await ask<GroupsResponse>(options, { type: 'listGroups', site: DEMO.siteUrl });
    const otherSite = new Set(listed.groups.filter((g) => g.otherSite).map((g) => g.name));
    for (const [name, on] of [...groups].sort()) say(`   [${on ? 'x' : ' '}] ${name}${otherSite.has(name) ? ' — may belong to another site of your organisation' : ''}`);
    await options.getByRole('button', { name: 'Save groups' }).click();

    step(3, 'Sync the members of those groups');
    const synced = await waitFor('the sync', async () => {
      const s = await ask<StateResponse>(options, { type: 'getState' });
      const site = s.sites.find((x) => x.site === DEMO.siteUrl);
      return site?.lastSyncedAt && !site.sync ? site : null;
    });
    const history = (await ask<DiagnosticsResponse>(options, { type: 'getDiagnostics', site: DEMO.siteUrl })).history[0];
    if (history?.status !== 'succeeded') throw new Error(`The sync did not succeed: ${history?.error ?? 'unknown error'}`);
    say(`   ${history.accounts} accounts from ${history.groups.length} groups in ${history.requests} requests (${Date.parse(history.endedAt!) - Date.parse(history.startedAt)} ms)`);
    for (const g of history.groups) say(`     ${g.name}: ${g.members} members`);
    for (const note of history.notes) say(`   Note: ${note}`);
    say(`   Filtered out of the review: ${synced.counts?.filtered ?? 0}`);

    step(4, `Import the personnel roster (${path.relative(REPO_ROOT, ROSTER)})`);
    await importRoster(options, ROSTER);
    const rosterLine = await waitFor('the roster import', async () => {
      const text = await options.getByTestId('roster-status').textContent();
      return text?.startsWith('Roster:') ? text : null;
    });
    say(`   ${rosterLine}`);

    step(4.5, "Import Atlassian's user export (last activity and two-step verification)");
    const exportFile = path.join(OUT, `managed-accounts-${today}.csv`);
    fs.writeFileSync(exportFile, userExportFor(fake.state.scenario, fake.state.scenario.organisation!, { shape: 'managed-accounts' }));
    await options.getByLabel('Atlassian user export').setInputFiles(exportFile);
    const preview = await waitFor('the user export preview', async () => {
      const text = await options.getByText(/export: \d/).first().textContent().catch(() => null);
      return text ?? null;
    });
    say(`   ${path.relative(process.cwd(), exportFile)}: ${preview}`);
    await options.getByRole('button', { name: 'Import user export' }).click();
    const exportLine = await waitFor('the user export import', async () => {
      const text = await options.getByTestId('user-export-status').textContent();
      return text?.startsWith('User export:') ? text : null;
    });
    say(`   ${exportLine}`);

    step(5, 'Review');
    const review = await reviewOf(options, DEMO.siteUrl);
    // The popup's counts are refreshed in the background after the import: wait for them.
    const counts = await waitFor('the review counts', async () => {
      const s = await ask<StateResponse>(options, { type: 'getState' });
      const page = await ask<ReviewQueryResponse>(options, { type: 'queryReview', site: DEMO.siteUrl, limit: 0 });
      const stored = s.sites.find((x) => x.site === DEMO.siteUrl)?.counts;
      return stored && JSON.stringify(stored) === JSON.stringify(page.counts) ? stored : null;
    });
    say(
      `   In review ${counts?.review}, flagged ${counts?.flagged}, unattributed ${counts?.unattributed}, should revoke ${counts?.should_revoke}, ` +
        `dormant ${counts?.dormant}, admins without 2SV ${counts?.admin_without_2sv}, filtered ${counts?.filtered}`,
    );
    const byMatch = new Map<string, number>();
    for (const r of review.rows) if (!r.account.filteredReason) byMatch.set(r.match.rule, (byMatch.get(r.match.rule) ?? 0) + 1);
    say(`   Matched by email ${byMatch.get('email') ?? 0}, by name ${byMatch.get('name') ?? 0}, manual ${byMatch.get('manual') ?? 0}, none ${byMatch.get('none') ?? 0}`);
    for (const flag of Object.keys(FLAG_TITLES) as Flag[]) {
      const flagged = review.rows.filter((r) => r.flags.some((f) => f.flag === flag));
      if (flagged.length === 0) continue;
      say(`\n   ${FLAG_TITLES[flag]} (${flagged.length})`);
      for (const row of flagged.slice(0, 8)) {
        say(`   • ${describeRow(row)}`);
        say(`       ${row.flags.find((f) => f.flag === flag)!.explanation}`);
      }
      if (flagged.length > 8) say(`   … and ${flagged.length - 8} more (see the export)`);
    }
    const filtered = review.rows.filter((r) => r.account.filteredReason);
    say(`\n   Filtered out, with the reason (${filtered.length})`);
    for (const row of filtered.slice(0, 6)) say(`   • ${row.account.displayName}: ${row.account.filteredDetail}`);
    if (filtered.length > 6) say(`   … and ${filtered.length - 6} more`);

    step(6, 'Screenshots and the auditor\'s export');
    const shots = await screenshots(ext.context.newPage.bind(ext.context), ext.extensionId, options);
    for (const s of shots) say(`   ${path.relative(process.cwd(), s)}`);

    step(7, 'Access review: start, decide every account, sign off, export the evidence');
    await accessReview(ext.context.newPage.bind(ext.context), ext.extensionId);
  } finally {
    await ext.close();
    await fake.close();
  }
}

async function screenshots(newPage: () => Promise<Page>, extensionId: string, options: Page): Promise<string[]> {
  const out: string[] = [];
  const popup = await newPage();
  await popup.setViewportSize({ width: 360, height: 520 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await popup.getByText(/^Last synced /).first().waitFor();
  out.push(path.join(OUT, 'popup.png'));
  await popup.screenshot({ path: out.at(-1)! });

  const panel = await newPage();
  await panel.setViewportSize({ width: 400, height: 900 });
  await panel.goto(`chrome-extension://${extensionId}/sidepanel.html`);
  await panel.getByLabel('Show').selectOption({ label: 'Flagged' });
  await shownCountSettled(panel);
  out.push(path.join(OUT, 'sidepanel.png'));
  await panel.screenshot({ path: out.at(-1)! });
  await panel.getByLabel('Show').selectOption({ label: 'Should revoke' });
  await panel.getByRole('list', { name: 'Accounts' }).getByRole('button').first().click();
  out.push(path.join(OUT, 'sidepanel-account.png'));
  await panel.screenshot({ path: out.at(-1)! });
  await panel.getByRole('button', { name: /Back to list/ }).click();

  // The same panel in the dark theme (it follows the system's colour scheme).
  await panel.emulateMedia({ colorScheme: 'dark' });
  await panel.getByLabel('Show').selectOption({ label: 'Flagged' });
  await panel.getByRole('list', { name: 'Accounts' }).getByRole('button').first().waitFor();
  await shownCountSettled(panel);
  out.push(path.join(OUT, 'sidepanel-dark.png'));
  await panel.screenshot({ path: out.at(-1)! });
  await panel.emulateMedia({ colorScheme: 'light' });

  // A Confluence page with links to people: flagged ones get a badge next to their name.
  const confluence = await newPage();
  await confluence.setViewportSize({ width: 900, height: 900 });
  await confluence.goto('https://acme.atlassian.net/wiki/spaces/ENG/pages/1/Team?people=24&late=6&delay=300');
  await confluence.getByText('All 30 people shown').waitFor();
  let badges = await pageBadges(confluence);
  for (let i = 0; i < 40 && badges.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 250));
    badges = await pageBadges(confluence);
  }
  say(`   Confluence page: ${badges.length} badges next to 30 person links, e.g. "${badges[0]?.name ?? 'none'}"`);
  out.push(path.join(OUT, 'confluence-badges.png'));
  await confluence.screenshot({ path: out.at(-1)!, fullPage: true });

  for (const [button, file] of [['Export CSV', 'access-review-acme.csv'], ['Export JSON', 'access-review-acme.json']] as const) {
    const download = panel.waitForEvent('download');
    await panel.getByRole('button', { name: button }).click();
    out.push(path.join(OUT, file));
    await (await download).saveAs(out.at(-1)!);
  }

  await options.reload();
  await options.getByTestId('roster-status').waitFor();
  out.push(path.join(OUT, 'options.png'));
  await options.screenshot({ path: out.at(-1)!, fullPage: true });
  return out;
}

/** Drives the side panel through a whole access review and saves the evidence package. */
async function accessReview(newPage: () => Promise<Page>, extensionId: string): Promise<void> {
  const panel = await newPage();
  await panel.setViewportSize({ width: 420, height: 1000 });
  await panel.goto(`chrome-extension://${extensionId}/sidepanel.html`);
  const summary = async () => (await ask<{ summary: CampaignSummary | null }>(panel, { type: 'getCampaign', site: DEMO.siteUrl })).summary;
  const progress = panel.getByTestId('review-progress');

  await panel.getByRole('button', { name: 'Start review' }).click();
  await progress.waitFor();
  let s = (await summary())!;
  say(`   Started: snapshot of the sync at ${s.syncedAt}, reviewer ${s.reviewer.name} (${s.reviewer.accountId}), ${s.inReview} accounts to decide`);

  await panel.getByRole('button', { name: 'Keep all unflagged' }).click();
  await waitFor('Keep all unflagged', async () => ((await summary())!.decided > 0 ? true : null));
  s = (await summary())!;
  say(`   Keep all unflagged: ${s.decided} of ${s.inReview} decided (the reviewer's own account needs its own decision)`);

  // The reviewer's own account: a note is required (self-review).
  await panel.getByRole('searchbox', { name: 'Search accounts' }).fill(s.reviewer.accountId);
  await panel.getByRole('list', { name: 'Accounts' }).getByRole('button').first().click();
  await panel.getByRole('button', { name: 'Keep', exact: true }).click();
  const refusal = await panel.getByRole('alert').textContent();
  say(`   Keep on ${s.reviewer.name} without a note → refused: "${refusal?.replace(/^⚠\s*/, '')}"`);
  await panel.getByRole('textbox', { name: 'Decision note' }).fill('Site admin; access confirmed by the CISO');
  await panel.getByRole('button', { name: 'Keep', exact: true }).click();
  await panel.getByTestId('decision-status').filter({ hasText: 'Decision: Keep' }).waitFor();
  out(await shot(panel, 'review-account.png'));
  await panel.getByRole('button', { name: '← Back to list' }).click();
  await panel.getByRole('searchbox', { name: 'Search accounts' }).fill('');

  // Every flagged account still undecided: one Revoke with one note.
  await panel.getByLabel('Show').selectOption({ label: 'Undecided' });
  await panel.waitForTimeout(300);
  const undecided = (await ask<ReviewQueryResponse>(panel, { type: 'queryCampaign', site: DEMO.siteUrl, filter: 'undecided', limit: 0 })).total;
  await panel.getByRole('button', { name: 'Decide all shown' }).click();
  await panel.getByLabel('Decision for all shown').selectOption({ label: 'Revoke' });
  await panel.getByLabel('Note for all shown').fill('Flagged: left the company or no roster person — offboard');
  await panel.getByRole('button', { name: `Confirm: Revoke ${undecided} account${undecided === 1 ? '' : 's'}` }).click();
  await waitFor('the bulk decision', async () => {
    const now = (await summary())!;
    return now.decided === now.inReview ? now : null;
  });
  say(`   Revoke for the ${undecided} flagged accounts shown by "Undecided", with one note`);
  await panel.getByLabel('Show').selectOption({ label: 'All in review' });
  out(await shot(panel, 'review-open.png'));

  await panel.getByRole('button', { name: 'Complete review' }).click();
  await panel.getByRole('textbox', { name: 'Sign-off statement' }).fill('I reviewed every account with access to acme.atlassian.net.');
  await panel.getByRole('button', { name: 'Sign off and lock' }).click();
  await panel.getByTestId('review-seal').waitFor();
  s = (await summary())!;
  say(`   Signed off ${s.completedAt}: ${s.decided} of ${s.inReview} decided; seal ${s.seal}`);
  say(`   Remediation: ${s.remediation.pending} pending, ${s.remediation.overdue} overdue, ${s.remediation.verified} verified`);
  out(await shot(panel, 'review-completed.png'));

  const downloading = panel.waitForEvent('download');
  await panel.getByRole('button', { name: 'Export evidence' }).click();
  const download = await downloading;
  const zipPath = path.join(OUT, download.suggestedFilename());
  await download.saveAs(zipPath);
  const files = unzipSync(new Uint8Array(fs.readFileSync(zipPath)));
  const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { files: { name: string; bytes: number }[] };
  say(`   Evidence package: ${path.relative(process.cwd(), zipPath)}`);
  for (const f of manifest.files) say(`     ${f.name} (${f.bytes.toLocaleString('en')} bytes)`);
  const reportPath = path.join(OUT, 'report.html');
  fs.writeFileSync(reportPath, files['report.html']!);
  const report = await newPage();
  await report.setViewportSize({ width: 1000, height: 1400 });
  await report.goto(`file://${reportPath}`);
  out(await shot(report, 'report.png'));
  say(`   Report: ${path.relative(process.cwd(), reportPath)}`);
}

async function shot(page: Page, name: string): Promise<string> {
  const file = path.join(OUT, name);
  await page.screenshot({ path: file });
  return file;
}

function out(file: string): void {
  say(`   ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

/** Waits until the list's "N accounts" line shows the pressed filter chip's count (the new query answered). */
async function shownCountSettled(panel: Page): Promise<void> {
  await panel.waitForFunction(() => {
    const chip = document.querySelector('.chips button[aria-pressed="true"] .count');
    const shown = [...document.querySelectorAll('p[role="status"]')].find((p) => /^[\d,]+ accounts?$/.test(p.textContent ?? ''));
    return chip !== null && shown !== undefined && shown.textContent?.startsWith(`${chip.textContent} account`) === true;
  });
}
