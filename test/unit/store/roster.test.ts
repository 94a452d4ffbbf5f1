import { describe, expect, it } from 'vitest';
import type { Person } from '../../../lib/model';
import { getRoster, replaceRoster } from '../../../lib/store/roster';
import { freshStore } from './helpers';
import { person as makePerson } from '../match/fixtures';

function person(id: string, row: number, name = id): Person {
  return makePerson({ id, name, row });
}

const meta1 = { fileName: 'hr-1.csv', importedAt: '2026-01-01T00:00:00.000Z', people: 2 };

describe('replaceRoster', () => {
  it('replaces the whole roster and its meta; people come back in row order', async () => {
    const store = await freshStore();
    await replaceRoster(store, [person('email:b@x.io', 3), person('email:a@x.io', 2)], meta1);
    const meta2 = { fileName: 'hr-2.csv', importedAt: '2026-02-01T00:00:00.000Z', people: 1 };
    await replaceRoster(store, [person('name:carol', 2)], meta2);
    const roster = await getRoster(store);
    expect(roster.meta).toEqual(meta2);
    expect(roster.people.map((p) => p.id)).toEqual(['name:carol']);
  });

  it('returns people sorted by row', async () => {
    const store = await freshStore();
    await replaceRoster(store, [person('z', 4), person('a', 2), person('m', 3)], { ...meta1, people: 3 });
    expect((await getRoster(store)).people.map((p) => p.row)).toEqual([2, 3, 4]);
  });

  it('is all or nothing: a person with an invalid key leaves the old roster and meta intact', async () => {
    const store = await freshStore();
    await replaceRoster(store, [person('email:a@x.io', 2), person('email:b@x.io', 3)], meta1);
    const broken = [person('email:c@x.io', 2), { ...person('x', 3), id: undefined } as unknown as Person];
    await expect(
      replaceRoster(store, broken, { fileName: 'bad.csv', importedAt: '2026-03-01T00:00:00.000Z', people: 2 }),
    ).rejects.toThrow();
    const roster = await getRoster(store);
    expect(roster.meta).toEqual(meta1);
    expect(roster.people.map((p) => p.id)).toEqual(['email:a@x.io', 'email:b@x.io']);
  });

  it('is all or nothing when a write fails asynchronously (a value that cannot be cloned)', async () => {
    const store = await freshStore();
    await replaceRoster(store, [person('email:a@x.io', 2)], { ...meta1, people: 1 });
    const broken = [person('email:c@x.io', 2), { ...person('email:d@x.io', 3), manager: (() => 1) as unknown as string }];
    await expect(replaceRoster(store, broken, { ...meta1, fileName: 'bad.csv' })).rejects.toThrow();
    const roster = await getRoster(store);
    expect(roster.meta?.fileName).toBe('hr-1.csv');
    expect(roster.people.map((p) => p.id)).toEqual(['email:a@x.io']);
  });

  it('has no roster before the first import', async () => {
    const store = await freshStore();
    expect(await getRoster(store)).toEqual({ meta: null, people: [] });
  });
});

describe('large rosters', () => {
  it('keeps every person, in row order, across chunk boundaries', async () => {
    const store = await freshStore();
    const many = Array.from({ length: 2_503 }, (_, i) => person(`email:p${i}@x.io`, i + 2));
    await replaceRoster(store, many.slice().reverse(), { ...meta1, people: many.length });
    const roster = await getRoster(store);
    expect(roster.people.map((p) => p.id)).toEqual(many.map((p) => p.id));
    // A smaller roster afterwards leaves no stale chunk behind.
    await replaceRoster(store, many.slice(0, 3), { ...meta1, people: 3 });
    expect((await getRoster(store)).people.map((p) => p.row)).toEqual([2, 3, 4]);
  });

  it('refuses a roster that uses an id twice, changing nothing', async () => {
    const store = await freshStore();
    await replaceRoster(store, [person('email:a@x.io', 2)], { ...meta1, people: 1 });
    await expect(replaceRoster(store, [person('email:b@x.io', 2), person('email:b@x.io', 3)], meta1)).rejects.toThrow(/used twice/);
    expect((await getRoster(store)).people.map((p) => p.id)).toEqual(['email:a@x.io']);
  });
});
