/**
 * The options page's roster preview with the exports people actually have (issue 10): it says
 * which export it recognised, counts that system's leavers, and warns — without blocking the
 * import — when the file cannot reveal leavers. The mapping can still be corrected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RosterImport } from '@/components/RosterImport';
import type { RosterMeta } from '@/lib/model';
import { choose, click, fakeBackground, getByRole, mount, pickFile, resetFakes, text, unmount } from '../ui/dom';
import { unpackPerson } from '../../../lib/roster/wire';

let root: HTMLElement | null = null;
afterEach(async () => {
  if (root) await unmount(root);
  root = null;
  resetFakes();
});

const META: RosterMeta = { fileName: 'users.csv', importedAt: '2026-11-27T10:00:00', people: 3 };

async function preview(csv: string, fileName = 'users.csv') {
  const bg = fakeBackground({ importRoster: { meta: { ...META, fileName } } });
  root = await mount(<RosterImport roster={null} onImported={() => undefined} />);
  await pickFile(getByRole(root, 'file', 'Personnel roster'), new File([csv], fileName, { type: 'text/csv' }));
  return { root, bg };
}

const summaryLine = (r: HTMLElement) => text(r.querySelector('p[role="status"]')!);
const presetLine = (r: HTMLElement) => r.querySelector('[data-testid="roster-preset"]');
const warnings = (r: HTMLElement) => [...r.querySelectorAll('ul[aria-label="Roster warnings"] li')].map((li) => text(li));
const importButton = (r: HTMLElement) => getByRole<HTMLButtonElement>(r, 'button', 'Import roster');

const GOOGLE_HEADER =
  'First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Org Unit Path [Required],' +
  'New Primary Email [UPLOAD ONLY],Status [READ ONLY],Last Sign In [READ ONLY],Work Secondary Email,Employee Type,Manager Email,Department,New Status [UPLOAD ONLY]';

describe('RosterImport: recognised exports', () => {
  it('a Google Workspace user export: recognised, Suspended and Archived counted as left, no warning, imports as is', async () => {
    const { root, bg } = await preview(
      [
        GOOGLE_HEADER,
        'Ada,Lovelace,ada@acme.com,****,/,,Active,2026/11/20 09:00:00,,Employee,grace@acme.com,Engineering,',
        'Bob,Stone,bob@acme.com,****,/,,Suspended,2026/01/20 09:00:00,,Employee,ada@acme.com,Sales,',
        'Cy,Archer,cy@acme.com,****,/Former,,Archived,Never logged in,,Contractor,,Sales,',
      ].join('\n'),
    );
    expect(text(presetLine(root)!)).toBe(
      'Recognised: Google Workspace user export — status “Suspended” or “Archived” counts as left in this export.',
    );
    expect(summaryLine(root)).toBe('3 rows read, 3 people, no errors, 2 already left');
    expect(root.querySelector('ul[aria-label="Roster warnings"]')).toBeNull();
    // Recognised without correction: the mapping editor shows the export's own columns.
    expect(getByRole<HTMLSelectElement>(root, 'combobox', 'Work email column').value).toBe('Email Address [Required]');
    expect(getByRole<HTMLSelectElement>(root, 'combobox', 'Employment status column').value).toBe('Status [READ ONLY]');

    await click(importButton(root));
    expect(bg.of('importRoster')[0]?.packedPeople?.map(unpackPerson).map((p) => [p.name, p.workEmail, p.statusTerminated])).toEqual([
      ['Ada Lovelace', 'ada@acme.com', false],
      ['Bob Stone', 'bob@acme.com', true],
      ['Cy Archer', 'cy@acme.com', true],
    ]);
  });

  it('a file of no known system says nothing about a preset', async () => {
    const { root } = await preview('Work Email,Full Name,Status\nada@acme.com,Ada Lovelace,Active\nbob@acme.com,Bob Stone,Terminated\n');
    expect(presetLine(root)).toBeNull();
    expect(root.querySelector('ul[aria-label="Roster warnings"]')).toBeNull();
    expect(summaryLine(root)).toBe('2 rows read, 2 people, no errors, 1 already left');
  });

  it('choosing another status column by hand drops the system’s own words', async () => {
    const { root } = await preview(
      [GOOGLE_HEADER, 'Bob,Stone,bob@acme.com,****,/,,Active,,,Employee,,Sales,Suspended', 'Cy,Archer,cy@acme.com,****,/,,Active,,,Employee,,Sales,Archived'].join('\n'),
    );
    await choose(getByRole(root, 'combobox', 'Employment status column'), 'New Status [UPLOAD ONLY]');
    expect(text(presetLine(root)!)).toBe('Recognised: Google Workspace user export');
    expect(summaryLine(root)).toBe('2 rows read, 2 people, no errors');
    expect(warnings(root)).toEqual([expect.stringMatching(/^Warning: Every person in the file is active/)]);
  });
});

describe('RosterImport: warnings', () => {
  it('no status and no end-date column: warned, still importable', async () => {
    const { root, bg } = await preview('Work Email,Full Name\nada@acme.com,Ada Lovelace\n');
    expect(warnings(root)).toEqual([
      'Warning: No status or end-date column found: a list of current staff cannot reveal leavers. ' +
        'If the file has one under another name, choose it in the column mapping; otherwise export a report that includes former employees.',
    ]);
    expect(importButton(root).disabled).toBe(false);
    await click(importButton(root));
    expect(bg.of('importRoster')).toHaveLength(1);
  });

  it('every row active: warned, still importable', async () => {
    const { root } = await preview('Work Email,Full Name,Employment status\nada@acme.com,Ada Lovelace,Active\nbob@acme.com,Bob Stone,On leave\n');
    expect(warnings(root)).toEqual([
      'Warning: Every person in the file is active: no status says anyone left and no end date has passed. ' +
        'Many HR reports list current staff only; if this one does, the accounts of people who left cannot be flagged. ' +
        'Export former (terminated, inactive) employees too.',
    ]);
    expect(importButton(root).disabled).toBe(false);
  });

  it('mapping the status column the file has clears the warning', async () => {
    const { root } = await preview('Work Email,Full Name,State\nada@acme.com,Ada Lovelace,Active\nbob@acme.com,Bob Stone,Terminated\n');
    expect(warnings(root).map((w) => w.slice(0, 40))).toEqual(['Warning: No status or end-date column fo']);
    await choose(getByRole(root, 'combobox', 'Employment status column'), 'State');
    expect(warnings(root)).toEqual([]);
    expect(root.querySelector('ul[aria-label="Roster warnings"]')).toBeNull();
    expect(summaryLine(root)).toBe('2 rows read, 2 people, no errors, 1 already left');
  });
});
