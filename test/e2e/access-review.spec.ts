/**
 * Issue 9 end to end: a whole access review in the side panel — start, "Keep all unflagged",
 * decisions with notes, a refused decision without a note, one decision for a filter, sign-off —
 * then a sync after Atlassian removed one revoked account from its groups (that item verified,
 * the others still pending), the evidence zip opened and checked (manifest hashes, CSV, JSON,
 * HTML), and a second review showing the diff.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import Papa from 'papaparse';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { SCENARIO_DIR } from '../fake-atlassian/scenario';
import { ask, connectWithApiToken, importRoster, waitForSyncIdle } from '../support/driver';
import type { ReviewQueryResponse, StateResponse } from '../../lib/messages';

const SITE = 'https://acme.atlassian.net';
const ROSTER_FILE = path.join(SCENARIO_DIR, 'demo-roster.csv');
/** The demo's connected admin (it-admin@acme.test), a member of the admin groups. */
const ADMIN = { name: 'Avery Admin', accountId: '557058:07370d34-b060-435a-96ea-3d80dba8d397' };
const EXPORT_HEADER =
  'site,account_id,display_name,email,email_source,account_type,status,groups,role,owner_type,person_name,person_email,match,flags,filtered_reason,decision,note,last_active,mfa';
const REVIEW_HEADER = `${EXPORT_HEADER},decided_by,decided_at,remove_from_groups,diff,remediation,remediation_verified_at`;

const accountButtons = (panel: Page) => panel.getByRole('list', { name: 'Accounts' }).getByRole('button');
const progress = (panel: Page) => panel.getByTestId('review-progress');

async function show(panel: Page, label: string): Promise<number> {
  await panel.getByRole('combobox', { name: 'Show', exact: true }).selectOption({ label });
  const status = panel.getByRole('status').filter({ hasText: /accounts?$/ });
  await expect(status).toBeVisible();
  // Wait for the list to settle on this filter.
  await panel.waitForTimeout(200);
  return Number((await status.textContent())!.replace(/[^0-9]/g, ''));
}

async function openAccount(panel: Page, accountId: string): Promise<void> {
  await panel.getByRole('searchbox', { name: 'Search accounts' }).fill(accountId);
  await expect(accountButtons(panel)).toHaveCount(1);
  await accountButtons(panel).click();
  await expect(panel.locator('article code').first()).toHaveText(accountId);
}

async function backToList(panel: Page): Promise<void> {
  await panel.getByRole('button', { name: '← Back to list' }).click();
  await panel.getByRole('searchbox', { name: 'Search accounts' }).fill('');
}

/** axe-core's WCAG 2.1 A/AA rules, as test/e2e/accessibility.spec.ts checks the other views. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

async function reviewRows(page: Page, filter: string): Promise<ReviewQueryResponse['rows']> {
  const r = await ask<ReviewQueryResponse>(page, { type: 'queryCampaign', site: SITE, filter, sort: 'name', limit: 500 });
  return r.rows;
}

test('a whole access review: decide, sign off, remediation verified by a sync, evidence, diff', async ({ openPage, serviceWorker, extensionId, fake }) => {
  test.setTimeout(180_000);
  const options = await openPage('options');
  await connectWithApiToken(options);
  const save = options.getByRole('button', { name: 'Save groups' });
  await expect(save).toBeEnabled();
  await save.click();
  await waitForSyncIdle(serviceWorker);
  await importRoster(options, ROSTER_FILE);
  await expect(options.getByTestId('roster-status')).toContainText('Roster: demo-roster.csv');

  const panel = await options.context().newPage();
  await panel.setViewportSize({ width: 420, height: 1000 });
  await panel.goto(`chrome-extension://${extensionId}/sidepanel.html`);
  const inReview = await show(panel, 'All in review');
  expect(inReview).toBeGreaterThan(100);

  // Start: the snapshot and the reviewer (user/current).
  await panel.getByRole('button', { name: 'Start review' }).click();
  await expect(panel.getByText(/^Snapshot of /)).toBeVisible();
  await expect(panel.getByText(`Reviewer ${ADMIN.name}`)).toBeVisible();
  await expect(progress(panel)).toHaveText(`0 of ${inReview} decided`);
  const flagged = await show(panel, 'Flagged');
  expect(flagged).toBeGreaterThan(3);

  // Keep all unflagged: everyone unflagged but the reviewer's own account.
  await panel.getByRole('button', { name: 'Keep all unflagged' }).click();
  await expect(progress(panel)).toHaveText(`${inReview - flagged - 1} of ${inReview} decided`);
  expect(await show(panel, 'Undecided')).toBe(flagged + 1);

  // A refused decision: Revoke without a note records nothing.
  const overdue = await reviewRows(panel, 'revoke_overdue');
  expect(overdue.length).toBeGreaterThan(1);
  const [removed, stays] = overdue as [(typeof overdue)[0], (typeof overdue)[0]];
  await openAccount(panel, removed.account.accountId);
  await panel.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expect(panel.getByRole('alert')).toHaveText(/A note is required to revoke access\./);
  await expect(panel.getByTestId('decision-status')).toHaveText('Undecided');
  // Keep on a flagged account needs a note too.
  await panel.getByRole('button', { name: 'Keep', exact: true }).click();
  await expect(panel.getByRole('alert')).toHaveText(/A note is required to keep a flagged account/);
  await panel.getByRole('textbox', { name: 'Decision note' }).fill('Left the company; remove access');
  await panel.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expect(panel.getByTestId('decision-status')).toContainText('Decision: Revoke');
  await expect(panel.getByTestId('decision-status')).toContainText('Left the company; remove access');
  await backToList(panel);
  await expect(progress(panel)).toHaveText(`${inReview - flagged} of ${inReview} decided`);

  // Modify access on a flagged account with several groups.
  // (Several groups where the demo has such a flagged account; else one: it still leaves that one.)
  const candidates = (await reviewRows(panel, 'undecided')).filter((r) => r.account.accountId !== ADMIN.accountId && r.account.groups.length > 0);
  const multi = candidates.find((r) => r.account.groups.length > 1) ?? candidates[0]!;
  expect(multi).toBeDefined();
  const leave = multi.account.groups[0]!;
  await openAccount(panel, multi.account.accountId);
  await panel.getByRole('button', { name: 'Modify access' }).click();
  await panel.getByRole('textbox', { name: 'Decision note' }).fill('Least privilege');
  await panel.getByRole('button', { name: 'Confirm modification' }).click();
  await expect(panel.getByRole('alert')).toHaveText(/Choose at least one group/);
  expect(await violations(panel)).toEqual([]);
  await panel.getByRole('checkbox', { name: `Remove from ${leave.name}`, exact: true }).check();
  await panel.getByRole('button', { name: 'Confirm modification' }).click();
  await expect(panel.getByTestId('decision-status')).toContainText(`Decision: Modify access — remove from ${leave.name}`);
  await backToList(panel);

  // The reviewer's own account: self-review needs a note.
  await openAccount(panel, ADMIN.accountId);
  await panel.getByRole('button', { name: 'Keep', exact: true }).click();
  await expect(panel.getByRole('alert')).toHaveText(/own account/);
  await panel.getByRole('textbox', { name: 'Decision note' }).fill('Admin access confirmed by the CISO');
  await panel.getByRole('button', { name: 'Keep', exact: true }).click();
  await expect(panel.getByTestId('decision-status')).toContainText('Decision: Keep');
  await backToList(panel);

  // One decision for every account the "Undecided" filter shows.
  const undecided = await show(panel, 'Undecided');
  expect(undecided).toBe(flagged - 2);
  await expect(panel.getByRole('button', { name: 'Complete review' })).toBeDisabled();
  await panel.getByRole('button', { name: 'Decide all shown' }).click();
  expect(await violations(panel)).toEqual([]);
  await panel.getByRole('combobox', { name: 'Decision for all shown' }).selectOption({ label: 'Revoke' });
  await panel.getByRole('textbox', { name: 'Note for all shown' }).fill('Unattributed or left: offboard');
  await panel.getByRole('button', { name: `Confirm: Revoke ${undecided} accounts` }).click();
  await expect(progress(panel)).toHaveText(`${inReview} of ${inReview} decided`);
  expect(await show(panel, 'Undecided')).toBe(0);

  // Complete: sign off and lock.
  await panel.getByRole('button', { name: 'Complete review' }).click();
  await panel.getByRole('textbox', { name: 'Sign-off statement' }).fill('I reviewed every account of acme.');
  await panel.getByRole('button', { name: 'Sign off and lock' }).click();
  await expect(panel.getByText(/^Review completed /)).toBeVisible();
  const seal = (await panel.getByTestId('review-seal').textContent())!;
  expect(seal).toMatch(/^[0-9a-f]{64}$/);
  const revokes = flagged - 1; // every flagged account but the one to modify, plus none of the unflagged
  await expect(panel.getByTestId('remediation-counts')).toHaveText(`Remediation: ${revokes + 1} pending, 0 overdue, 0 verified`);
  await panel.screenshot({ path: 'test-results/access-review-completed.png' });
  expect(await violations(panel)).toEqual([]);

  // The locked review refuses changes, at the background too.
  const refused = await ask<{ error?: string }>(panel, { type: 'decide', site: SITE, accountId: stays.account.accountId, decision: 'keep', note: 'x' });
  expect(refused.error).toMatch(/locked/);

  // Atlassian: one revoked account is removed from every group; a sync verifies it.
  for (const g of removed.account.groups) fake.state.removeMember('acme', g.id, removed.account.accountId);
  await ask(panel, { type: 'syncNow', site: SITE });
  await waitForSyncIdle(serviceWorker);
  await expect(panel.getByTestId('remediation-counts')).toHaveText(`Remediation: ${revokes} pending, 0 overdue, 1 verified`);
  const popup = await openPage('popup');
  await expect(popup.getByTestId('review-status')).toContainText(`Remediation: ${revokes} pending, 0 overdue`);
  await expect(popup.getByText('Review due')).toHaveCount(0);
  const state = await ask<StateResponse>(popup, { type: 'getState' });
  expect(state.sites[0]!.review).toMatchObject({ reviewDue: false, remediation: { pending: revokes, overdue: 0, verified: 1 } });

  // The evidence package, opened here.
  const downloading = panel.waitForEvent('download');
  // The bytes come from the service worker's fetch handler, not through base64 messages.
  const fetched = panel.waitForResponse((r) => /\/evidence\/[0-9a-f-]{36}\.zip$/.test(r.url()));
  await panel.getByRole('button', { name: 'Export evidence' }).click();
  const download = await downloading;
  const served = await fetched;
  expect(served.status()).toBe(200);
  expect(served.fromServiceWorker()).toBe(true);
  const localDay = (d = new Date()) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  expect(download.suggestedFilename()).toBe(`access-review-acme-${localDay()}.zip`);
  const files = unzipSync(new Uint8Array(fs.readFileSync((await download.path())!)));
  expect(Object.keys(files).sort()).toEqual(['audit-log.csv', 'manifest.json', 'report.html', 'review.csv', 'review.json']);
  const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { files: { name: string; bytes: number; sha256: string }[]; seal: string; generatedAt: string; extensionVersion: string };
  expect(manifest.seal).toBe(seal);
  expect(manifest.extensionVersion).toBe('0.1.0');
  expect(manifest.files.map((f) => f.name).sort()).toEqual(['audit-log.csv', 'report.html', 'review.csv', 'review.json']);
  for (const f of manifest.files) {
    expect(f.bytes, f.name).toBe(files[f.name]!.length);
    expect(f.sha256, f.name).toBe(createHash('sha256').update(files[f.name]!).digest('hex'));
  }

  const csvText = strFromU8(files['review.csv']!);
  expect(csvText.split('\r\n')[0]).toBe(REVIEW_HEADER);
  const csv = Papa.parse<Record<string, string>>(csvText, { header: true, skipEmptyLines: true }).data;
  const row = (id: string) => csv.find((r) => r.account_id === id)!;
  expect(row(removed.account.accountId)).toMatchObject({ decision: 'revoke', note: 'Left the company; remove access', decided_by: ADMIN.name, remediation: 'verified', diff: '' });
  expect(row(removed.account.accountId).remediation_verified_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(row(stays.account.accountId)).toMatchObject({ decision: 'revoke', remediation: 'pending' });
  expect(row(multi.account.accountId)).toMatchObject({ decision: 'modify', remove_from_groups: leave.name, remediation: 'pending' });
  expect(row(ADMIN.accountId)).toMatchObject({ decision: 'keep', note: 'Admin access confirmed by the CISO', remediation: '' });
  const filtered = csv.filter((r) => r.filtered_reason !== '');
  expect(filtered.length).toBeGreaterThan(0);
  expect(filtered.every((r) => r.decision === '' && r.decided_by === '')).toBe(true);
  expect(csv.filter((r) => r.filtered_reason === '' && r.decision !== '')).toHaveLength(inReview);

  const json = JSON.parse(strFromU8(files['review.json']!)) as Record<string, unknown> & { rows: Record<string, unknown>[] };
  expect(json).toMatchObject({
    site: SITE,
    status: 'completed',
    seal,
    reviewer: ADMIN,
    signOff: 'I reviewed every account of acme.',
    controls: ['SOC 2 CC6.2', 'SOC 2 CC6.3', 'ISO/IEC 27001:2022 A.5.18'],
    roster: { fileName: 'demo-roster.csv', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    caveats: { hiddenEmails: { count: expect.any(Number) }, unknownStatuses: { count: expect.any(Number) }, nameOnlyMatches: { count: expect.any(Number) } },
  });
  expect(json.rows).toHaveLength(csv.length);
  const sealed: Record<string, unknown> = {};
  for (const k of ['site', 'cloudId', 'groups', 'sync', 'roster', 'reviewer', 'startedAt', 'completedAt', 'signOff', 'diff', 'rows']) sealed[k] = json[k];
  sealed.rows = json.rows.map(({ remediation: _r, remediation_verified_at: _v, ...rest }) => rest);
  expect(createHash('sha256').update(canonical(sealed)).digest('hex')).toBe(seal);

  const html = strFromU8(files['report.html']!);
  expect(html).not.toMatch(/<script|<link|src=|url\(/i);
  for (const text of [SITE, ADMIN.name, seal, 'Flagged accounts', 'Remediation', 'Caveats', 'I reviewed every account of acme.', removed.account.displayName]) expect(html).toContain(text);
  const audit = strFromU8(files['audit-log.csv']!);
  for (const kind of ['connect', 'groups_saved', 'sync_start', 'sync_end', 'roster_import', 'review_start', 'decision', 'decision_bulk', 'review_complete', 'remediation_verified', 'export']) expect(audit, kind).toContain(`,${kind},`);
  for (const secret of ['acme-api-token']) for (const bytes of Object.values(files)) expect(strFromU8(bytes)).not.toContain(secret);

  // The options page lists the audit log and verifies it.
  await options.reload();
  await options.getByRole('button', { name: 'Verify audit log' }).click();
  await expect(options.getByTestId('audit-verdict')).toContainText('The audit log is intact');
  await expect(options.getByRole('table', { name: 'Audit log' })).toContainText('review complete');
  await options.getByLabel('Kind').selectOption({ label: 'remediation verified' });
  await expect(options.getByRole('table', { name: 'Audit log' }).locator('tbody tr')).toHaveCount(1);
  expect(await violations(options)).toEqual([]);

  // A second review shows the diff: the removed account is gone.
  await panel.getByRole('button', { name: 'Start review' }).click();
  await expect(panel.getByText(/^Since the last review: \d+ new, \d+ changed, 1 removed$/)).toBeVisible();
  await expect(panel.getByRole('combobox', { name: 'Show', exact: true }).locator('option', { hasText: 'New since last review' })).toHaveCount(1);
  expect(await show(panel, 'New since last review')).toBe(0);
});

/** Canonical JSON written here independently of the product: keys sorted by code unit, no whitespace. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => canonical(x === undefined ? null : x)).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}
