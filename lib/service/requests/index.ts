/**
 * The request table: every request the background answers, one feature per file. A new request
 * is one `defineRequest` entry in its feature's file; `Request`, `ResponseMap` (lib/messages.ts),
 * the sender rules and the dispatcher (../dispatch.ts) all derive from this table.
 */
import type { z } from 'zod';
import type { RequestTable } from '../define';
import { activityRequests } from './activity';
import { auditRequests } from './audit';
import { campaignRequests } from './campaign';
import { connectRequests } from './connect';
import { diagnosticsRequests } from './diagnostics';
import { groupRequests } from './groups';
import { pageRequests } from './page';
import { reviewRequests } from './review';
import { rosterRequests } from './roster';
import { stateRequests } from './state';
import { syncRequests } from './sync';

export const requests = {
  ...stateRequests,
  ...connectRequests,
  ...groupRequests,
  ...syncRequests,
  ...reviewRequests,
  ...rosterRequests,
  ...diagnosticsRequests,
  ...pageRequests,
  ...activityRequests,
  ...campaignRequests,
  ...auditRequests,
} satisfies RequestTable;

export type Requests = typeof requests;

/** Keys whose schema accepts another `type` (none: otherwise the next line does not compile). */
type MismatchedKeys = { [K in keyof Requests]: z.output<Requests[K]['schema']>['type'] extends K ? never : K }[keyof Requests];
export const keysMatchTypes: [MismatchedKeys] extends [never] ? true : MismatchedKeys = true;
