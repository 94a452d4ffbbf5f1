/**
 * Members between the sync's phases are stored as flat tuples whose operations point into a
 * per-record table (PackedMember, ../store/schema.ts): far cheaper for IndexedDB's structured
 * clone than RawMember objects with their operation objects. Pure.
 */
import type { RawMember } from '../atlassian/api';
import type { Operation } from '../model';
import type { PackedMember } from '../store/schema';

/** The distinct operation lists of one record, JSON-encoded; members refer to them by index. */
export class OperationsTable {
  readonly lists: string[] = [];
  private readonly indexes = new Map<string, number>();

  indexOf(json: string): number {
    let index = this.indexes.get(json);
    if (index === undefined) {
      index = this.lists.length;
      this.lists.push(json);
      this.indexes.set(json, index);
    }
    return index;
  }
}

const encodeOperations = (ops: readonly Operation[]): string => JSON.stringify(ops.map((o) => [o.operation, o.targetType]));

/** Packs `members` against `table` (a page's own table). */
export function packMember(m: RawMember, table: OperationsTable): PackedMember {
  return [
    m.accountId,
    m.accountType,
    m.email,
    m.publicName,
    m.displayName,
    m.isGuest,
    m.isExternalCollaborator,
    m.operations === null ? null : table.indexOf(encodeOperations(m.operations)),
  ];
}

export const packedAccountId = (p: PackedMember): string => p[0];

/** `member`, whose operations point into `from`, pointing into `to` instead. */
export function repack(member: PackedMember, from: readonly string[], to: OperationsTable): PackedMember {
  const index = member[7];
  if (index === null) return member;
  const copy: PackedMember = [...member];
  copy[7] = to.indexOf(from[index] ?? '[]');
  return copy;
}

/**
 * Unpacks members, decoding each distinct operations list once: accounts with the same
 * operations share one (read-only) array.
 */
export class MemberUnpacker {
  private readonly decoded = new Map<string, Operation[]>();

  unpack(p: PackedMember, operations: readonly string[]): RawMember {
    return {
      accountId: p[0],
      accountType: p[1],
      email: p[2],
      publicName: p[3],
      displayName: p[4],
      isGuest: p[5],
      isExternalCollaborator: p[6],
      operations: p[7] === null ? null : this.decode(operations[p[7]] ?? '[]'),
    };
  }

  private decode(json: string): Operation[] {
    let ops = this.decoded.get(json);
    if (!ops) {
      ops = (JSON.parse(json) as [string, string][]).map(([operation, targetType]) => ({ operation, targetType }));
      this.decoded.set(json, ops);
    }
    return ops;
  }
}

/**
 * The same account seen through another group fills gaps only: each later field wins unless it
 * is empty (null or ''). Both must point into the same operations table. Returns `previous`
 * itself when nothing changes.
 */
export function mergePacked(previous: PackedMember, next: PackedMember): PackedMember {
  let merged: PackedMember | null = null;
  for (let i = 0; i < next.length; i++) {
    const value = next[i];
    if (value === null || value === '' || value === previous[i]) continue;
    merged ??= [...previous];
    (merged as unknown[])[i] = value;
  }
  return merged ?? previous;
}
