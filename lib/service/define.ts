/**
 * One entry of the request table: the request's zod schema, who may send it and its handler, in
 * one place. `lib/service/requests/*.ts` declare them per feature; the `Request` and `ResponseMap`
 * types, the sender rules and the dispatcher are all derived from the table
 * (precedent: refined-github's `messageHandlers … satisfies Record<…>`).
 */
import type { z } from 'zod';
import type { ServiceContext } from './context';

/**
 * `page`: an extension page (popup, side panel, options — also when open in a tab).
 * `content`: the content script in a tab on an Atlassian host.
 */
export type SenderKind = 'page' | 'content';

/** Who sent a request, from browser-stamped fields only (never from the message). */
export interface RequestSender {
  kind: SenderKind;
  /** The URL of the sending page or frame (`runtime.MessageSender.url`). */
  url: string;
  /** The sender's tab and window (`MessageSender.tab`), for content scripts and pages in a tab. */
  tabId?: number;
  windowId?: number;
}

// zod's `z.ZodType` with a `type` literal: every request names itself.
type RequestSchema = z.ZodType<{ type: string }>;

export interface RequestDef<S extends RequestSchema = RequestSchema, R = unknown> {
  schema: S;
  from: readonly SenderKind[];
  handle(req: z.output<S>, ctx: ServiceContext, sender: RequestSender): Promise<R>;
}

export function defineRequest<S extends RequestSchema, R>(def: RequestDef<S, R>): RequestDef<S, R> {
  return def;
}

export type RequestTable = Record<string, RequestDef<RequestSchema, unknown>>;

/** The union of what pages may send, keyed by the table. */
export type RequestOf<T extends RequestTable> = { [K in keyof T]: z.input<T[K]['schema']> }[keyof T];

export type ResponseMapOf<T extends RequestTable> = { [K in keyof T]: Awaited<ReturnType<T[K]['handle']>> };
