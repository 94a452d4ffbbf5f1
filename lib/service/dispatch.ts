/**
 * The one way a message reaches a handler: find the request in the table, check the sender,
 * validate with the request's schema, handle, and turn any failure into `{ error }`. The
 * background's runtime listener, the unit-test harness and (through the real listener) the e2e
 * tests all go through it.
 */
import type { ServiceContext } from './context';
import type { RequestTable } from './define';
import { toErrorResponse } from './errors';
import { classifySender, type SenderInfo } from './sender';

/** Background → page broadcasts echo through runtime messaging; they are not requests. */
const BROADCAST_TYPES = new Set(['syncProgress', 'activityProgress', 'stateChanged', 'panelFocus']);

export interface DispatchIdentity {
  extensionId: string;
  /** `runtime.getURL('/')`: the origin of the extension's own pages. */
  origin: string;
}

export type Dispatch = (raw: unknown, sender: SenderInfo) => Promise<unknown> | null;

export function createDispatcher(table: RequestTable, ctx: ServiceContext, identity: DispatchIdentity): Dispatch {
  return (raw, senderInfo) => {
    const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
    // Not for us: our own broadcasts, heard by every extension context.
    if (typeof type === 'string' && BROADCAST_TYPES.has(type)) return null;
    const sender = classifySender(senderInfo, identity.extensionId, identity.origin);
    if (!sender.ok) return Promise.resolve({ error: `Refused: ${sender.reason}` });
    // Own properties only: a `type` of "constructor" or "__proto__" names no request.
    const def = typeof type === 'string' && Object.hasOwn(table, type) ? table[type] : undefined;
    if (!def) return Promise.resolve({ error: `Invalid request: unknown type ${JSON.stringify(type ?? null)}` });
    if (!def.from.includes(sender.kind)) {
      return Promise.resolve({ error: `Refused: ${sender.kind === 'content' ? 'content scripts' : 'extension pages'} may not send "${String(type)}"` });
    }
    const parsed = def.schema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ');
      return Promise.resolve({ error: `Invalid request: ${issues}` });
    }
    const { ok: _ok, ...from } = sender;
    return def.handle(parsed.data, ctx, from).catch(toErrorResponse);
  };
}
