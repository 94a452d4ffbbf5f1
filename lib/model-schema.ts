/**
 * zod schemas of the model types that cross the page → background boundary. The TypeScript types
 * in ./model.ts are inferred from these, so each shape is declared once. Only the background
 * imports this file at run time (pages import ./model.ts for types, and do not bundle zod).
 */
import { z } from 'zod';

export const personSchema = z.object({
  /** Stable across re-imports: `email:<work email lower-case>` or else `name:<normalised name>`. */
  id: z.string().min(1),
  name: z.string(),
  workEmail: z.string().nullable(),
  altEmails: z.array(z.string()),
  /** Raw status text from the HR export, if any. */
  status: z.string().nullable(),
  /** True when the status text itself says the person left (Terminated, Inactive, Former, …). */
  statusTerminated: z.boolean(),
  /** ISO dates `YYYY-MM-DD` (calendar dates, no time zone). */
  endDate: z.string().nullable(),
  startDate: z.string().nullable(),
  employeeType: z.string().nullable(),
  department: z.string().nullable(),
  manager: z.string().nullable(),
  /** 1-based data row number in the imported file (header is row 1, so first data row is 2). */
  row: z.number().int(),
});

const reason = z.string().trim().min(1, 'A reason is required').max(500);

/** What a reviewer says about who owns an account, as a page sends it (the background adds `at`). */
export const ownerMarkInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('link'), personId: z.string().min(1) }),
  /** Confirms a display-name match to this person. */
  z.object({ kind: z.literal('confirm'), personId: z.string().min(1) }),
  /** "This account is not that person": the automatic match to `personId` is ignored. */
  z.object({ kind: z.literal('unlink'), personId: z.string().min(1) }),
  z.object({ kind: z.literal('external'), reason }),
  z.object({ kind: z.literal('service'), reason }),
]);
