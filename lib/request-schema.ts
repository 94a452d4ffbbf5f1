/**
 * zod schema of every request a page or the content script may send to the background. The
 * background parses each message with it before acting; types live in ./messages.ts.
 */
import { z } from 'zod';

const site = z.string().min(1).max(200);
const accountId = z.string().min(1).max(200);

export const ownerMark = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('link'), personId: z.string().min(1) }),
  z.object({ kind: z.literal('confirm'), personId: z.string().min(1) }),
  z.object({ kind: z.literal('unlink'), personId: z.string().min(1) }),
  z.object({ kind: z.literal('external'), reason: z.string().trim().min(1, 'A reason is required').max(500) }),
  z.object({ kind: z.literal('service'), reason: z.string().trim().min(1, 'A reason is required').max(500) }),
]);

const personSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  workEmail: z.string().nullable(),
  altEmails: z.array(z.string()),
  status: z.string().nullable(),
  statusTerminated: z.boolean(),
  endDate: z.string().nullable(),
  startDate: z.string().nullable(),
  employeeType: z.string().nullable(),
  department: z.string().nullable(),
  manager: z.string().nullable(),
  row: z.number().int(),
});

export const requestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('getState') }),
  z.object({
    type: z.literal('connectOAuth'),
    siteUrl: z.string().min(1).max(200),
    clientId: z.string().trim().min(1).max(200),
    clientSecret: z.string().trim().min(1).max(500),
  }),
  z.object({
    type: z.literal('connectApiToken'),
    siteUrl: z.string().min(1).max(200),
    email: z.string().trim().min(3).max(320),
    apiToken: z.string().trim().min(1).max(1000),
  }),
  z.object({ type: z.literal('disconnect'), site, deleteData: z.boolean() }),
  z.object({ type: z.literal('listGroups'), site, refresh: z.boolean().optional() }),
  z.object({ type: z.literal('saveGroups'), site, groupIds: z.array(z.string().min(1)).max(5000) }),
  z.object({ type: z.literal('syncNow'), site: site.optional() }),
  z.object({ type: z.literal('getReview'), site }),
  z.object({ type: z.literal('setMark'), site, accountId, mark: ownerMark.nullable() }),
  z.object({ type: z.literal('whyMissing'), site, query: z.string().trim().min(1).max(320) }),
  z.object({ type: z.literal('getDiagnostics'), site }),
  z.object({ type: z.literal('getRoster') }),
  z.object({
    type: z.literal('importRoster'),
    fileName: z.string().max(500),
    people: z.array(personSchema).max(500_000),
  }),
  z.object({
    type: z.literal('saveSettings'),
    site: site.optional(),
    syncIntervalHours: z.number().min(1).max(24 * 30).optional(),
    graceDays: z.number().int().min(0).max(365).optional(),
  }),
  /** Content script: which monitored account is this page about? (read-only, no secrets). */
  z.object({ type: z.literal('pageContext'), url: z.string().url().max(2000) }),
]);

