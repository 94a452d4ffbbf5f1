// @vitest-environment node
/**
 * Access reviews through the real dispatcher against the fake Atlassian (issue 9): start (the
 * reviewer from user/current), a frozen snapshot, decisions and the note rules, bulk decisions,
 * sign-off, lock, remediation verified by a later sync, the evidence package, the audit log.
 */
import { unzipSync, strFromU8 } from 'fflate';
import Papa from 'papaparse';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { canonicalJson } from '../../../lib/campaign/canonical';
import { fromBase64 } from '../../../lib/campaign/base64';
import { EXPORT_COLUMNS } from '../../../lib/review/export';
import { PREPARED_EVIDENCE_TTL_MS } from '../../../lib/service/requests/campaign';
import { parseRoster } from '../../../lib/roster';
import type { ReviewRow } from '../../../lib/model';
import { ACME, groupId, startHarness, type Harness } from './harness';

const TODAY = new Date().toISOString().slice(0, 10);
/** The demo scenario's admin (it-admin@acme.test): the connected account, and a member of confluence-admins. */
const ADMIN_ID = '557058:07370d34-b060-435a-96ea-3d80dba8d397';
const DAY = 86_400_000;

let h: Harness;
let leaver: ReviewRow;
let employee: ReviewRow;

beforeEach(async () => {
  h = await startHarness();
  await h.connectApiToken();
  await h.selectAndSync(ACME, [groupId(h.fake, 'confluence-admins-acme'), groupId(h.fake, 'engineering')]);
  const rows = await h.rows(ACME);
  const withEmail = rows.filter((r) => r.account.filteredReason === null && r.account.email && r.account.accountId !== ADMIN_ID);
  [leaver, employee] = withEmail as [ReviewRow, ReviewRow];
  const csv = [
    'Employee ID,Full Name,Work Email,Status,Termination Date',
    `E1,Lee Leaver,${leaver.account.email},Terminated,2024-01-31`,
    `E2,Emma Employee,${employee.account.email},Active,`,
    'E3,Avery Admin,it-admin@acme.test,Active,',
  ].join('\n');
  const parsed = parseRoster(csv, { today: TODAY });
  expect(parsed.errors).toEqual([]);
  await h.ok({ type: 'importRoster', fileName: 'hr.csv', people: parsed.people });
  await h.service.idle();
});
afterEach(async () => {
  expect(h.leakedSecrets()).toEqual([]);
  await h.close();
});

async function account(accountId: string) {
  const { account: a } = await h.ok({ type: 'getReviewAccount', site: ACME, accountId });
  if (!a) throw new Error(`${accountId} is not in the review`);
  return a;
}

async function campaignRows(filter: 'review' | 'undecided' | 'flagged' | 'new' | 'filtered' = 'review') {
  return (await h.ok({ type: 'queryCampaign', site: ACME, filter, sort: 'name', limit: 500 })).rows;
}

async function auditKinds(): Promise<string[]> {
  const { entries } = await h.ok({ type: 'listAudit', site: ACME, limit: 500 });
  return entries.map((e) => e.kind);
}

/** Starts a review and decides every account: flagged ones Revoke, the rest Keep. */
async function completeReview(signOff = 'Reviewed quarterly.') {
  await h.ok({ type: 'startReview', site: ACME });
  await h.ok({ type: 'decideBulk', site: ACME, kind: 'keepUnflagged' });
  const flagged = await campaignRows('flagged');
  await h.ok({ type: 'decideBulk', site: ACME, kind: 'filter', filter: 'flagged', search: '', decision: 'revoke', note: 'Not in the roster or left', expectedCount: flagged.length });
  await h.ok({ type: 'decide', site: ACME, accountId: ADMIN_ID, decision: 'keep', note: 'Reviewed by the CISO' });
  return h.ok({ type: 'completeReview', site: ACME, signOff });
}

describe('a review of a site', () => {
  it('freezes the latest sync with the connected account as reviewer; later marks do not change it', async () => {
    const { summary } = await h.ok({ type: 'startReview', site: ACME });
    const live = await h.rows(ACME);
    const inReview = live.filter((r) => r.account.filteredReason === null).length;
    expect(summary).toMatchObject({ status: 'open', reviewer: { name: 'Avery Admin', accountId: ADMIN_ID }, inReview, accounts: live.length, decided: 0, seal: null, hasPrevious: false });
    expect(h.fake.log.count('GET /wiki/rest/api/user/current')).toBeGreaterThan(0);
    expect((await h.fail({ type: 'startReview', site: ACME })).error).toMatch(/already open/);

    const stranger = live.find((r) => r.flags.some((f) => f.flag === 'unattributed'))!;
    await h.ok({ type: 'setMark', site: ACME, accountId: stranger.account.accountId, mark: { kind: 'external', reason: 'Agency' } });
    expect((await h.ok({ type: 'getAccount', site: ACME, accountId: stranger.account.accountId })).row?.flags).toEqual([]);
    expect((await account(stranger.account.accountId)).row.flags.map((f) => f.flag)).toEqual(['unattributed']);
    expect((await campaignRows()).length).toBe(inReview);
    expect((await h.ok({ type: 'getState' })).sites[0]?.review).toMatchObject({ open: { id: summary?.id }, reviewDue: true });
  });

  it('refuses a decision without the note it needs and records nothing', async () => {
    await h.ok({ type: 'startReview', site: ACME });
    const id = leaver.account.accountId;
    expect((await h.fail({ type: 'decide', site: ACME, accountId: id, decision: 'revoke', note: '' })).error).toBe('A note is required to revoke access.');
    expect((await h.fail({ type: 'decide', site: ACME, accountId: id, decision: 'keep', note: ' ' })).error).toMatch(/^A note is required to keep a flagged account/);
    expect((await h.fail({ type: 'decide', site: ACME, accountId: ADMIN_ID, decision: 'keep' })).error).toMatch(/own account/);
    expect((await h.fail({ type: 'decide', site: ACME, accountId: employee.account.accountId, decision: 'modify', note: 'Too much', removeFromGroupIds: [] })).error).toBe(
      'Choose at least one group to remove the account from.',
    );
    expect((await account(id)).decision).toBeNull();
    expect((await h.ok({ type: 'getCampaign', site: ACME })).summary?.decided).toBe(0);
    expect(await auditKinds()).not.toContain('decision');

    const { decision } = await h.ok({ type: 'decide', site: ACME, accountId: id, decision: 'revoke', note: 'Left in January' });
    expect(decision).toMatchObject({ decision: 'revoke', note: 'Left in January', decidedBy: { name: 'Avery Admin', accountId: ADMIN_ID } });
    // Changed while open.
    const group = employee.account.groups[0]!;
    await h.ok({ type: 'decide', site: ACME, accountId: employee.account.accountId, decision: 'modify', note: 'Least privilege', removeFromGroupIds: [group.id] });
    expect((await account(employee.account.accountId)).decision).toMatchObject({ decision: 'modify', removeFromGroups: [group] });
    expect((await h.ok({ type: 'getCampaign', site: ACME })).summary?.decided).toBe(2);
    expect((await auditKinds()).filter((k) => k === 'decision')).toHaveLength(2);
  });

  it('"Keep all unflagged" keeps every undecided unflagged account but the reviewer’s own; a filter decides all it shows', async () => {
    await h.ok({ type: 'startReview', site: ACME });
    const all = await campaignRows();
    const unflagged = all.filter((r) => r.flags.length === 0);
    expect(unflagged.some((r) => r.account.accountId === ADMIN_ID)).toBe(true);
    const { decided } = await h.ok({ type: 'decideBulk', site: ACME, kind: 'keepUnflagged' });
    expect(decided).toBe(unflagged.length - 1);
    expect((await account(ADMIN_ID)).decision).toBeNull();
    expect((await account(employee.account.accountId)).decision).toMatchObject({ decision: 'keep', note: 'No findings' });
    const undecided = await campaignRows('undecided');
    expect(undecided.map((r) => r.account.accountId).sort()).toEqual([ADMIN_ID, ...all.filter((r) => r.flags.length > 0).map((r) => r.account.accountId)].sort());

    const flagged = await campaignRows('flagged');
    const stale = await h.fail({ type: 'decideBulk', site: ACME, kind: 'filter', filter: 'flagged', search: '', decision: 'revoke', note: 'x', expectedCount: flagged.length + 1 });
    expect(stale.error).toMatch(/The list changed/);
    expect((await h.fail({ type: 'decideBulk', site: ACME, kind: 'filter', filter: 'flagged', search: '', decision: 'revoke', note: '', expectedCount: flagged.length })).error).toMatch(/note is required/);
    expect((await campaignRows('undecided')).length).toBe(undecided.length);
    const revoked = await h.ok({ type: 'decideBulk', site: ACME, kind: 'filter', filter: 'flagged', search: '', decision: 'revoke', note: 'Offboard', expectedCount: flagged.length });
    expect(revoked.decided).toBe(flagged.length);
    expect((await campaignRows('undecided')).map((r) => r.account.accountId)).toEqual([ADMIN_ID]);
    expect((await h.fail({ type: 'completeReview', site: ACME })).error).toMatch(/1 of \d+ accounts have no decision/);
  });

  it('sign-off locks and seals the review; later syncs verify remediation; the next review shows the diff', async () => {
    const { summary } = await completeReview();
    expect(summary).toMatchObject({ status: 'completed', signOff: 'Reviewed quarterly.', seal: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await h.fail({ type: 'decide', site: ACME, accountId: ADMIN_ID, decision: 'keep', note: 'again' })).error).toMatch(/locked/);
    expect((await h.fail({ type: 'refreshReview', site: ACME })).error).toMatch(/locked/);
    expect((await h.fail({ type: 'decideBulk', site: ACME, kind: 'keepUnflagged' })).error).toMatch(/locked/);
    let state = (await h.ok({ type: 'getState' })).sites[0]!;
    const items = (await campaignRows('flagged')).length;
    expect(state.review).toMatchObject({ open: null, reviewDue: false, remediation: { pending: items, overdue: 0, verified: 0 } });

    // The export fills decision and note from the latest review.
    const csv = (await h.ok({ type: 'exportReview', site: ACME, format: 'csv' })).text;
    const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    expect(parsed.find((r) => r.account_id === leaver.account.accountId)).toMatchObject({ decision: 'revoke', note: 'Not in the roster or left' });
    expect(parsed.find((r) => r.account_id === ADMIN_ID)).toMatchObject({ decision: 'keep', note: 'Reviewed by the CISO' });
    expect(parsed.filter((r) => r.filtered_reason !== '').every((r) => r.decision === '' && r.note === '')).toBe(true);

    // Atlassian: the leaver is removed from every monitored group; a later sync verifies it.
    h.advance(60_000);
    for (const g of leaver.account.groups) h.fake.state.removeMember('acme', g.id, leaver.account.accountId);
    await h.ok({ type: 'syncNow', site: ACME });
    await h.service.idle(ACME);
    state = (await h.ok({ type: 'getState' })).sites[0]!;
    expect(state.review.remediation).toEqual({ pending: items - 1, overdue: 0, verified: 1 });
    const verified = await account(leaver.account.accountId);
    expect(verified.remediation).toMatchObject({ status: 'verified', verifiedAt: state.lastSyncedAt });
    expect(await auditKinds()).toContain('remediation_verified');

    // Past "Remediation due (days)" the others are overdue.
    h.advance(15 * DAY);
    expect((await h.ok({ type: 'getState' })).sites[0]!.review.remediation).toEqual({ pending: 0, overdue: items - 1, verified: 1 });
    await h.ok({ type: 'saveSettings', remediationDueDays: 30, reviewEveryDays: 10 });
    const later = await h.ok({ type: 'getState' });
    expect(later).toMatchObject({ remediationDueDays: 30, reviewEveryDays: 10 });
    expect(later.sites[0]!.review).toMatchObject({ reviewDue: true, remediation: { pending: items - 1, overdue: 0, verified: 1 } });

    // The next review: the removed leaver shows in the diff.
    const second = await h.ok({ type: 'startReview', site: ACME });
    expect(second.summary).toMatchObject({ hasPrevious: true, diff: { removed: 1 } });
    expect((await campaignRows('new')).length).toBe(second.summary?.diff?.added);
  });

  it('"Refresh snapshot" re-freezes from the latest sync and keeps the decisions of accounts still present', async () => {
    await h.ok({ type: 'startReview', site: ACME });
    await h.ok({ type: 'decide', site: ACME, accountId: leaver.account.accountId, decision: 'revoke', note: 'Left' });
    await h.ok({ type: 'decide', site: ACME, accountId: employee.account.accountId, decision: 'keep' });
    h.advance(60_000);
    for (const g of leaver.account.groups) h.fake.state.removeMember('acme', g.id, leaver.account.accountId);
    await h.ok({ type: 'syncNow', site: ACME });
    await h.service.idle(ACME);
    expect((await h.ok({ type: 'getCampaign', site: ACME })).summary).toMatchObject({ newerSync: true, decided: 2 });
    const { summary } = await h.ok({ type: 'refreshReview', site: ACME });
    expect(summary).toMatchObject({ newerSync: false, decided: 1, status: 'open' });
    expect((await h.ok({ type: 'getReviewAccount', site: ACME, accountId: leaver.account.accountId })).account).toBeNull();
    expect((await account(employee.account.accountId)).decision?.decision).toBe('keep');
    const { entries } = await h.ok({ type: 'listAudit', site: ACME, kind: 'review_refresh' });
    expect(entries[0]?.details).toMatchObject({ keptDecisions: 1, droppedDecisions: 1 });
  });
});

describe('the evidence package', () => {
  async function download() {
    const first = await h.ok({ type: 'exportEvidence', site: ACME });
    const parts = [fromBase64(first.base64)];
    for (let p = 1; p < first.parts; p++) parts.push(fromBase64((await h.ok({ type: 'exportEvidence', site: ACME, part: p, exportId: first.exportId })).base64));
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    return { fileName: first.fileName, files: unzipSync(bytes) };
  }

  it('holds review.csv, review.json, report.html and audit-log.csv, each listed in the manifest with its SHA-256', async () => {
    const { summary } = await completeReview('All access confirmed.');
    const { fileName, files } = await download();
    expect(fileName).toBe(`access-review-acme-${TODAY}.zip`);
    expect(Object.keys(files).sort()).toEqual(['audit-log.csv', 'manifest.json', 'report.html', 'review.csv', 'review.json']);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { files: { name: string; bytes: number; sha256: string }[]; seal: string };
    expect(manifest.seal).toBe(summary?.seal);
    expect(manifest.files.map((f) => f.name).sort()).toEqual(['audit-log.csv', 'report.html', 'review.csv', 'review.json']);
    for (const f of manifest.files) {
      expect(f.bytes).toBe(files[f.name]!.length);
      expect(f.sha256).toBe(createHash('sha256').update(files[f.name]!).digest('hex'));
    }

    const csv = strFromU8(files['review.csv']!);
    expect(csv.split('\r\n')[0]).toBe([...EXPORT_COLUMNS, 'decided_by', 'decided_at', 'remove_from_groups', 'diff', 'remediation', 'remediation_verified_at'].join(','));
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    const live = await h.rows(ACME);
    expect(rows).toHaveLength(live.length);
    expect(rows.find((r) => r.account_id === leaver.account.accountId)).toMatchObject({ decision: 'revoke', decided_by: 'Avery Admin', remediation: 'pending', diff: '' });

    const doc = JSON.parse(strFromU8(files['review.json']!)) as Record<string, unknown> & { rows: Record<string, unknown>[] };
    expect(doc).toMatchObject({ site: ACME, status: 'completed', reviewer: { name: 'Avery Admin', accountId: ADMIN_ID }, signOff: 'All access confirmed.', controls: ['SOC 2 CC6.2', 'SOC 2 CC6.3', 'ISO/IEC 27001:2022 A.5.18'] });
    expect(doc.roster).toMatchObject({ fileName: 'hr.csv', rows: 3, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The seal, recomputed by hand from the file as review.json's sealCovers says.
    const sealed: Record<string, unknown> = {};
    for (const k of ['site', 'cloudId', 'groups', 'sync', 'roster', 'reviewer', 'startedAt', 'completedAt', 'signOff', 'diff', 'rows']) sealed[k] = doc[k];
    sealed.rows = doc.rows.map(({ remediation: _r, remediation_verified_at: _v, ...rest }) => rest);
    expect(createHash('sha256').update(canonicalJson(sealed)).digest('hex')).toBe(summary?.seal);

    const html = strFromU8(files['report.html']!);
    expect(html).not.toMatch(/<script|https?:\/\/(?!acme\.atlassian\.net)/i);
    expect(html).toContain(summary!.seal!);
    const audit = strFromU8(files['audit-log.csv']!);
    expect(audit).toContain('review_complete');
    // Its own export is the last entry (the CSV doubles the quotes of the JSON details).
    expect(audit.trimEnd().split('\r\n').at(-1)).toContain('""format"":""evidence""');

    // No credential anywhere in it.
    const everything = Object.values(files).map((b) => strFromU8(b)).join('\n');
    for (const secret of h.knownSecrets()) expect(everything).not.toContain(secret);
  });

  it('is prepared for the page to fetch once (via fetch), and can still be read in parts until it is taken', async () => {
    await completeReview('All access confirmed.');
    const viaFetch = await h.ok({ type: 'exportEvidence', site: ACME, via: 'fetch' });
    expect(viaFetch.base64).toBe('');
    expect(viaFetch.url).toBe(`/evidence/${viaFetch.exportId}.zip`);
    // Not taken yet: the parts are there (the fallback where the page cannot fetch).
    const parts: Uint8Array[] = [];
    for (let p = 0; p < viaFetch.parts; p++) {
      const part = await h.ok({ type: 'exportEvidence', site: ACME, part: p, exportId: viaFetch.exportId });
      expect(part.url).toBeNull();
      parts.push(fromBase64(part.base64));
    }
    expect(parts.reduce((n, p) => n + p.length, 0)).toBe(viaFetch.bytes);
    // Reading the last part ends it: it cannot be fetched any more.
    expect(h.service.takeEvidence(viaFetch.exportId)).toBeNull();

    // A new export, taken by its id once; the zip is whole, and a second take finds nothing.
    const again = await h.ok({ type: 'exportEvidence', site: ACME, via: 'fetch' });
    expect(again.exportId).not.toBe(viaFetch.exportId);
    expect(h.service.takeEvidence('not-an-id')).toBeNull();
    const taken = h.service.takeEvidence(again.exportId);
    expect(taken?.fileName).toBe(`access-review-acme-${TODAY}.zip`);
    expect(taken?.zip.length).toBe(again.bytes);
    expect(Object.keys(unzipSync(taken!.zip))).toEqual(['review.csv', 'review.json', 'report.html', 'audit-log.csv', 'manifest.json']);
    expect(h.service.takeEvidence(again.exportId)).toBeNull();
    expect((await h.fail({ type: 'exportEvidence', site: ACME, part: 0, exportId: again.exportId })).error).toMatch(/no longer available/);
    expect((await h.fail({ type: 'exportEvidence', site: ACME, part: 1 })).error).toMatch(/part 0 first/);
  });

  it('is dropped when its page does not come for it in time', async () => {
    await completeReview('All access confirmed.');
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const prepared = await h.ok({ type: 'exportEvidence', site: ACME, via: 'fetch' });
    const expiry = timers.mock.calls.find(([, ms]) => ms === PREPARED_EVIDENCE_TTL_MS);
    timers.mockRestore();
    expect(expiry).toBeDefined();
    (expiry![0] as () => void)();
    expect(h.service.takeEvidence(prepared.exportId)).toBeNull();
    expect((await h.fail({ type: 'exportEvidence', site: ACME, part: 0, exportId: prepared.exportId })).error).toMatch(/no longer available/);
  });
});

describe('the audit log', () => {
  it('records every kind of action, verifies, and finds an edited entry', async () => {
    await completeReview();
    await h.ok({ type: 'exportReview', site: ACME, format: 'json' });
    const kinds = new Set(await auditKinds());
    for (const k of ['connect', 'groups_saved', 'sync_start', 'sync_end', 'roster_import', 'review_start', 'decision', 'decision_bulk', 'review_complete', 'export']) {
      expect(kinds, k).toContain(k);
    }
    expect(await h.ok({ type: 'verifyAuditLog', site: ACME })).toMatchObject({ ok: true });
    const store = await h.store();
    const entries = await store.db.getAll('auditLog');
    const target = entries.find((e) => e.kind === 'review_start')!;
    await store.db.put('auditLog', { ...target, details: { ...target.details, reviewer: 'Mallory' } });
    expect(await h.ok({ type: 'verifyAuditLog', site: ACME })).toMatchObject({ ok: false, seq: target.seq });
  });
});
