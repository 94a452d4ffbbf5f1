/**
 * zod schemas for every Atlassian response the client reads. Lenient on fields we do not use
 * (zod objects strip unknown keys), strict on the ones we do: a response that breaks them becomes a
 * `ResponseShapeError` naming the field (`parseResponse`).
 * Facts: ../../shared/atlassian-api.md §1.2 (token), §1.5 (accessible-resources), §3 (Confluence),
 * §4 (Jira), §6 (error bodies).
 */
import { z } from 'zod';
import { ResponseShapeError } from './errors';

// ---------------------------------------------------------------------------------------------
// Confluence v1

/** §3.3: `_links.next` is present only while more pages exist. We never parse it, only test it. */
const pageLinks = z.object({ next: z.string().optional() });

const count = z.number().int().nonnegative();

export const groupSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
});

/** §3.1 `GroupArrayWithLinks`: results, start, limit, size and _links are all required. */
export const groupArrayWithLinksSchema = z.object({
  results: z.array(groupSchema),
  start: count,
  limit: count,
  size: count,
  _links: pageLinks,
});

export const operationSchema = z.object({
  operation: z.string(),
  targetType: z.string(),
});

/** v1's two account types that mean something to the review; anything else is "" (see v1UserSchema). */
function v1AccountType(t: unknown): 'atlassian' | 'app' | '' {
  return t === 'atlassian' || t === 'app' ? t : '';
}

/**
 * §3.2 v1 `User`. The spec makes almost everything optional; we require what identifies the
 * account. Only `accountType` "atlassian" and "app" mean something to the review: anything else
 * (empty, missing, or a type the v1 spec does not list, such as v2's `customer`, §10 "Account
 * types") is read as "" — unknown — rather than failing the whole page. `email` may be `""` or null
 * depending on profile visibility (§3.5). A field of the wrong type is read as absent: one odd
 * member must not abort a sync (issue 8, item 6).
 */
export const v1UserSchema = z.object({
  accountId: z.string().min(1),
  accountType: z.unknown().optional().transform((t) => v1AccountType(t)),
  email: z.string().nullish().catch(null),
  /** "Will always contain a value" (§3.2) — but never trusted to: a missing one is filled in by the client. */
  publicName: z.string().nullish().catch(null),
  displayName: z.string().nullish().catch(null),
  isGuest: z.boolean().nullish().catch(null),
  isExternalCollaborator: z.boolean().nullish().catch(null),
  operations: z.array(z.unknown()).nullish().catch(null).transform((ops) =>
    ops === null || ops === undefined ? ops : ops.flatMap((o) => {
      const parsed = operationSchema.safeParse(o);
      return parsed.success ? [parsed.data] : [];
    }),
  ),
});

/**
 * An entry of a `results` array that may be null or lack an accountId (the v1 spec marks `User`
 * items and `accountId` nullable, §10): such entries are skipped and counted, not fatal.
 */
export function tolerantItems<S extends z.ZodType>(item: S) {
  return z.array(z.unknown()).transform((entries) => {
    const items: z.output<S>[] = [];
    let skipped = 0;
    for (const entry of entries) {
      const parsed = item.safeParse(entry);
      if (parsed.success) items.push(parsed.data);
      else skipped++;
    }
    return { items, skipped };
  });
}

/** §3.2 `UserArray`: only `results` is required by the spec; `_links` is needed to find the end. */
export const userArraySchema = z.object({
  results: tolerantItems(v1UserSchema),
  start: count.optional(),
  limit: count.optional(),
  size: count.optional(),
  _links: pageLinks,
});

/** §3.1/§3.2: `totalSize` is filled only with `shouldReturnTotalSize=true`. */
export const memberPageSchema = userArraySchema.extend({ totalSize: count.optional() });

/**
 * A member page as a well-formed answer has it: every entry a user with its fields of the right
 * type. Checking this first is several times cheaper than the tolerant schema's per-entry
 * `safeParse`, `catch` and transforms (measured: ~0.3 ms against ~2 ms for a 200-member page, a
 * cost paid on every page of a 100,000-account sync); a page it refuses goes through the tolerant
 * schema, which decides. Same output as `memberPageSchema` for every page it accepts.
 */
const wellFormedMemberPageSchema = z
  .object({
    results: z.array(
      z.object({
        accountId: z.string().min(1),
        accountType: z.string().nullish(),
        email: z.string().nullish(),
        publicName: z.string().nullish(),
        displayName: z.string().nullish(),
        isGuest: z.boolean().nullish(),
        isExternalCollaborator: z.boolean().nullish(),
        operations: z.array(operationSchema).nullish(),
      }),
    ),
    start: count.optional(),
    limit: count.optional(),
    size: count.optional(),
    _links: pageLinks,
    totalSize: count.optional(),
  })
  .transform(({ results, ...page }): z.output<typeof memberPageSchema> => ({
    ...page,
    results: { items: results.map((user) => ({ ...user, accountType: v1AccountType(user.accountType), operations: user.operations })), skipped: 0 },
  }));

/**
 * `fast` where it accepts the data, else `full` (whose issues are reported, with their paths).
 * `fast` must give what `full` would for any data it accepts: a quicker check of the common case,
 * never a different answer.
 */
export function fastPath<F extends z.ZodType>(fast: z.ZodType<z.output<F>>, full: F) {
  return z.unknown().transform((data, ctx): z.output<F> => {
    const quick = fast.safeParse(data);
    if (quick.success) return quick.data;
    const checked = full.safeParse(data);
    if (checked.success) return checked.data;
    for (const issue of checked.error.issues) ctx.issues.push({ ...issue, input: data } as never);
    return z.NEVER;
  });
}

/** The member page schema the client uses: well-formed pages quickly, the rest tolerantly. */
export const memberPageFastSchema = fastPath(wellFormedMemberPageSchema, memberPageSchema);

/**
 * `user/current` for a caller Confluence did not authenticate: on a site that allows anonymous
 * access, a bad token is answered as an anonymous user without an accountId (issue 8, item 8).
 */
export const anonymousUserSchema = z.object({ type: z.literal('anonymous') });

// ---------------------------------------------------------------------------------------------
// Confluence v2

const V2_ACCOUNT_TYPES = ['atlassian', 'app', 'customer', 'unknown'] as const;
const V2_ACCOUNT_STATUSES = ['active', 'inactive', 'closed', 'unknown'] as const;

/** A value outside the enum is `unknown` (what the v2 enums themselves offer), null stays null. */
function enumOrUnknown<T extends readonly [string, ...string[]]>(values: T) {
  return z.unknown().optional().transform((v): T[number] | null => {
    if (v === null || v === undefined) return null;
    return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T[number]) : 'unknown';
  });
}

/** §3.4 v2 `User` as returned by `POST /wiki/api/v2/users-bulk`. */
export const v2UserSchema = z.object({
  accountId: z.string().min(1),
  accountType: enumOrUnknown(V2_ACCOUNT_TYPES),
  accountStatus: enumOrUnknown(V2_ACCOUNT_STATUSES),
  email: z.string().nullish().catch(null),
});

export const usersBulkSchema = z.object({
  results: tolerantItems(v2UserSchema),
});

/** users-bulk as a well-formed answer has it (see wellFormedMemberPageSchema); same output. */
const wellFormedUsersBulkSchema = z
  .object({
    results: z.array(
      z.object({
        accountId: z.string().min(1),
        accountType: z.enum(V2_ACCOUNT_TYPES).nullish(),
        accountStatus: z.enum(V2_ACCOUNT_STATUSES).nullish(),
        email: z.string().nullish(),
      }),
    ),
  })
  .transform(({ results }): z.output<typeof usersBulkSchema> => ({
    results: {
      items: results.map((user) => ({ ...user, accountType: user.accountType ?? null, accountStatus: user.accountStatus ?? null })),
      skipped: 0,
    },
  }));

export const usersBulkFastSchema = fastPath(wellFormedUsersBulkSchema, usersBulkSchema);

// ---------------------------------------------------------------------------------------------
// Jira

/** §4 Jira `User`: `emailAddress` "may be returned as null" depending on privacy. */
export const jiraUserSchema = z.object({
  accountId: z.string().min(1),
  emailAddress: z.string().nullish().catch(null),
  active: z.boolean().nullish().catch(null),
});

/** §4 `PageBeanUser` `{self,nextPage,maxResults,startAt,total,isLast,values}`. */
export const pageBeanUserSchema = z.object({
  values: tolerantItems(jiraUserSchema),
  startAt: count.optional(),
  maxResults: count.optional(),
  total: count.optional(),
  isLast: z.boolean().optional(),
});

/** Jira's user/bulk page as a well-formed answer has it (see wellFormedMemberPageSchema); same output. */
const wellFormedPageBeanUserSchema = z
  .object({
    values: z.array(z.object({ accountId: z.string().min(1), emailAddress: z.string().nullish(), active: z.boolean().nullish() })),
    startAt: count.optional(),
    maxResults: count.optional(),
    total: count.optional(),
    isLast: z.boolean().optional(),
  })
  .transform(({ values, ...page }): z.output<typeof pageBeanUserSchema> => ({ ...page, values: { items: values, skipped: 0 } }));

export const pageBeanUserFastSchema = fastPath(wellFormedPageBeanUserSchema, pageBeanUserSchema);

// ---------------------------------------------------------------------------------------------
// OAuth

/** §1.2 / §1.4 token response. `refresh_token` only with `offline_access` (and not always, §1.4). */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  scope: z.string().optional(),
  refresh_token: z.string().min(1).optional(),
  token_type: z.string().optional(),
});

/** §1.5 `accessible-resources`: `id` is the cloudId, `url` identifies the site. */
export const accessibleResourceSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  url: z.string().min(1),
  scopes: z.array(z.string()).optional().default([]),
  avatarUrl: z.string().optional(),
});
export const accessibleResourcesSchema = z.array(accessibleResourceSchema);
export type AccessibleResource = z.infer<typeof accessibleResourceSchema>;

// ---------------------------------------------------------------------------------------------
// Error bodies (§6)

/** API gateway: `{"code":401,"message":"Unauthorized; scope does not match"}` (§2). */
export const gatewayErrorSchema = z.object({ code: z.number(), message: z.string() });

/** Confluence envelope: `{"statusCode":404,"data":{…},"message":"…"}` (§6). */
export const confluenceErrorSchema = z.object({ statusCode: z.number(), message: z.string() });

/** Jira `ErrorCollection`: `{"errorMessages":[…],"errors":{field:msg},"status":int}` (§4). */
export const jiraErrorCollectionSchema = z.object({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.string()).optional(),
  status: z.number().optional(),
});

/** OAuth token endpoint: `{"error":"invalid_grant","error_description":"…"}` (§1.4, §6). */
export const oauthErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});

const MAX_MESSAGE = 300;

/**
 * The human message inside any of the documented error bodies, or null. `body` is the raw text,
 * because error bodies are not always JSON (proxies answer HTML).
 */
export function extractErrorMessage(bodyText: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return null;
  }
  const gateway = gatewayErrorSchema.safeParse(body);
  if (gateway.success) return clip(gateway.data.message);
  const confluence = confluenceErrorSchema.safeParse(body);
  if (confluence.success) return clip(confluence.data.message);
  const oauth = oauthErrorSchema.safeParse(body);
  if (oauth.success) {
    const { error, error_description } = oauth.data;
    return clip(error_description ? `${error}: ${error_description}` : error);
  }
  const jira = jiraErrorCollectionSchema.safeParse(body);
  if (jira.success) {
    const parts = [...(jira.data.errorMessages ?? []), ...Object.entries(jira.data.errors ?? {}).map(([k, v]) => `${k}: ${v}`)];
    if (parts.length > 0) return clip(parts.join('; '));
  }
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') {
    return clip(body.message);
  }
  return null;
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** `results[3].accountId` from a zod issue path. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Validate `data` or throw `ResponseShapeError(endpoint, "<field>: <problem>")`. */
export function parseResponse<S extends z.ZodType>(schema: S, data: unknown, endpoint: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const detail = result.error.issues
    .slice(0, 3)
    .map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
    .join('; ');
  throw new ResponseShapeError(endpoint, detail);
}
