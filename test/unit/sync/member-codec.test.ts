import { describe, expect, it } from 'vitest';
import type { RawMember } from '../../../lib/atlassian/api';
import { MemberUnpacker, mergePacked, OperationsTable, packMember, packedAccountId, repack } from '../../../lib/sync/member-codec';
import { member } from './fake-api';

const WRITER = [{ operation: 'use', targetType: 'application' }, { operation: 'update', targetType: 'page' }];

describe('member codec', () => {
  it('packs and unpacks every field, null and empty values included', () => {
    const members: RawMember[] = [
      member('a', { operations: WRITER }),
      member('b', { email: '', displayName: null, isGuest: null, isExternalCollaborator: true, operations: null }),
      member('c', { accountType: '', operations: [] }),
    ];
    const table = new OperationsTable();
    const packed = members.map((m) => packMember(m, table));
    const unpacker = new MemberUnpacker();
    expect(packed.map((p) => unpacker.unpack(p, table.lists))).toEqual(members);
    expect(packed.map(packedAccountId)).toEqual(['a', 'b', 'c']);
  });

  it('keeps each distinct operations list once per table, and unpacks it to one shared array', () => {
    const table = new OperationsTable();
    const packed = ['a', 'b', 'c'].map((id) => packMember(member(id, { operations: WRITER.map((o) => ({ ...o })) }), table));
    expect(table.lists).toHaveLength(1);
    const unpacker = new MemberUnpacker();
    const [a, b] = packed.map((p) => unpacker.unpack(p, table.lists));
    expect(a?.operations).toEqual(WRITER);
    expect(a?.operations).toBe(b?.operations);
  });

  it('re-points a member into another table without changing what it says', () => {
    const from = new OperationsTable();
    from.indexOf('["unrelated"]');
    const packed = packMember(member('a', { operations: WRITER }), from);
    const to = new OperationsTable();
    const moved = repack(packed, from.lists, to);
    expect(moved[7]).toBe(0);
    expect(packed[7]).toBe(1); // the original is left alone
    expect(new MemberUnpacker().unpack(moved, to.lists)).toEqual(member('a', { operations: WRITER }));
    const noOps = packMember(member('b', { operations: null }), from);
    expect(repack(noOps, from.lists, to)).toBe(noOps);
  });

  it('merges like the same account seen in another group: later fields win unless empty', () => {
    const table = new OperationsTable();
    const first = packMember(member('a', { email: 'a@x.com', displayName: 'Ann', isGuest: false, operations: WRITER }), table);
    const second = packMember(member('a', { email: '', displayName: null, isGuest: true, publicName: 'Annie', operations: null }), table);
    const merged = mergePacked(first, second);
    expect(new MemberUnpacker().unpack(merged, table.lists)).toEqual(
      member('a', { email: 'a@x.com', displayName: 'Ann', isGuest: true, publicName: 'Annie', operations: WRITER }),
    );
    expect(mergePacked(first, first)).toBe(first);
  });
});
