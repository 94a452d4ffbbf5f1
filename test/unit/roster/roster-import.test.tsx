/**
 * The options page's roster import with files that are not plain UTF-8 CSV: it decodes with
 * decodeRosterBytes, refuses oversized files before reading them, and never sends anything or
 * changes the current roster when the file is refused.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RosterImport } from '@/components/RosterImport';
import type { RosterMeta } from '@/lib/model';
import { click, fakeBackground, getByRole, mount, pickFile, resetFakes, text, unmount } from '../ui/dom';
import { unpackPerson } from '../../../lib/roster/wire';

let root: HTMLElement | null = null;
afterEach(async () => {
  if (root) await unmount(root);
  root = null;
  resetFakes();
});

const OLD: RosterMeta = { fileName: 'old.csv', importedAt: '2026-11-01T09:00:00', people: 40 };
const OLD_LINE = 'Roster: old.csv — 40 people, imported 1 Nov 2026, 09:00';

function utf16le(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(2 + text.length * 2);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfeff, true);
  for (let i = 0; i < text.length; i++) view.setUint16(2 + i * 2, text.charCodeAt(i), true);
  return out;
}

async function withRoster(roster: RosterMeta | null) {
  const imported: RosterMeta[] = [];
  root = await mount(<RosterImport roster={roster} onImported={(m) => imported.push(m)} />);
  return { root, imported };
}

const importButton = (r: HTMLElement) => getByRole<HTMLButtonElement>(r, 'button', 'Import roster');
const statusLine = (r: HTMLElement) => text(r.querySelector('[data-testid="roster-status"]')!);

describe('RosterImport: encodings', () => {
  it('a Windows-1252 file previews with its accents and says how it was read', async () => {
    fakeBackground({});
    const { root } = await withRoster(null);
    // "Work Email,Full Name\r\nzoe@acme.com,Zoë O’Brien" in Windows-1252 (ë = 0xeb, ’ = 0x92).
    const bytes = Uint8Array.from([...'Work Email,Full Name\r\nzoe@acme.com,Zo\xeb O\x92Brien'].map((c) => c.charCodeAt(0)));
    await pickFile(getByRole(root, 'file', 'Personnel roster'), new File([bytes], 'hr.csv'));
    expect(text(root.querySelector('table[aria-label="Roster preview"]')!)).toContain('Zoë O’Brien');
    expect(text(root.querySelector('[data-testid="roster-encoding"]')!)).toBe(
      'Read as Windows-1252 (Western European). Check that names with accents look right below.',
    );
    expect(importButton(root).disabled).toBe(false);
  });

  it('a UTF-16 file with a BOM (Excel "Unicode Text", tab-separated) imports the same people', async () => {
    const bg = fakeBackground({ importRoster: { meta: { fileName: 'hr.txt', importedAt: '2026-11-27T10:00:00', people: 2 } } });
    const { root, imported } = await withRoster(null);
    const tsv = 'Work Email\tFull Name\r\nfang@acme.com\t王芳\r\njose@acme.com\tJosé Núñez\r\n';
    await pickFile(getByRole(root, 'file', 'Personnel roster'), new File([utf16le(tsv)], 'hr.txt'));
    expect(text(root.querySelector('[data-testid="roster-encoding"]')!)).toContain('Read as UTF-16 (little-endian).');
    await click(importButton(root));
    expect(bg.of('importRoster')[0]?.packedPeople?.map(unpackPerson).map((p) => p.name)).toEqual(['王芳', 'José Núñez']);
    expect(imported).toHaveLength(1);
  });

  it('a UTF-8 file shows no encoding note', async () => {
    fakeBackground({});
    const { root } = await withRoster(null);
    await pickFile(getByRole(root, 'file', 'Personnel roster'), new File(['Work Email\nzoe@acme.com'], 'hr.csv'));
    expect(root.querySelector('table[aria-label="Roster preview"]')).not.toBeNull();
    expect(root.querySelector('[data-testid="roster-encoding"]')).toBeNull();
  });
});

describe('RosterImport: refused files', () => {
  it('a 50 MB file is refused by its size without being read; the current roster stays', async () => {
    const bg = fakeBackground({ importRoster: { error: 'should not be called' } });
    const { root } = await withRoster(OLD);
    const file = new File(['Work Email\na@acme.com'], 'huge.csv');
    Object.defineProperty(file, 'size', { value: 50 * 1024 * 1024 });
    const read = vi.spyOn(file, 'arrayBuffer');
    const readText = vi.spyOn(file, 'text');
    await pickFile(getByRole(root, 'file', 'Personnel roster'), file);
    expect(read).not.toHaveBeenCalled();
    expect(readText).not.toHaveBeenCalled();
    expect(text(root.querySelector('[role="alert"]')!)).toBe(
      'Cannot import huge.csv: The file is 50.0 MB (52,428,800 bytes); a roster file can be at most 32 MB. Export only the columns Access Lens reads (email, name, status, dates, department, manager). The current roster is unchanged.',
    );
    expect(root.querySelector('table[aria-label="Roster preview"]')).toBeNull();
    expect(importButton(root).disabled).toBe(true);
    expect(statusLine(root)).toBe(OLD_LINE);
    expect(bg.requests).toEqual([]);
  });

  it.each([
    ['an Excel workbook', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), /^Cannot import x: This file is an Excel workbook \(\.xlsx\)/],
    ['random bytes', Uint8Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256), /^Cannot import x: This is not a text file/],
  ])('%s is refused with a clear message; nothing is sent', async (_label, bytes, message) => {
    const bg = fakeBackground({ importRoster: { error: 'should not be called' } });
    const { root } = await withRoster(OLD);
    await pickFile(getByRole(root, 'file', 'Personnel roster'), new File([bytes], 'x'));
    const alert = text(root.querySelector('[role="alert"]')!);
    expect(alert).toMatch(message);
    expect(alert).toMatch(/The current roster is unchanged\.$/);
    expect(importButton(root).disabled).toBe(true);
    await click(importButton(root));
    expect(bg.requests).toEqual([]);
    expect(statusLine(root)).toBe(OLD_LINE);
  });

  it("a picked file after a refused one is read normally (the refusal does not stick)", async () => {
    fakeBackground({});
    const { root } = await withRoster(null);
    await pickFile(getByRole(root, 'file', 'Personnel roster'), new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04])], 'a.xlsx'));
    expect(root.querySelector('[role="alert"]')).not.toBeNull();
    await pickFile(getByRole(root, 'file', 'Personnel roster'), new File(['Work Email\nzoe@acme.com'], 'b.csv'));
    expect(root.querySelector('[role="alert"]')).toBeNull();
    expect(importButton(root).disabled).toBe(false);
  });

  it("Chrome's raw message-size error is never shown; the current roster stays", async () => {
    fakeBackground({
      importRoster: () => {
        throw new Error('Error in invocation of runtime.sendMessage(optional string extensionId, any message, optional object options, optional function callback): Message exceeded maximum allowed size of 64MiB.');
      },
    });
    const { root, imported } = await withRoster(OLD);
    await pickFile(getByRole(root, 'file', 'Personnel roster'), new File(['Work Email\nzoe@acme.com'], 'hr.csv'));
    await click(importButton(root));
    const shown = text(root);
    expect(shown).toContain(
      'Import failed: the roster is too big to hand to the extension in one message; map fewer columns or shorten long values. The previous roster is unchanged.',
    );
    expect(shown).not.toMatch(/64MiB|sendMessage/);
    expect(imported).toEqual([]);
    expect(statusLine(root)).toBe(OLD_LINE);
  });
});
