/**
 * The site's cloudId for API-token connections, which never see accessible-resources:
 * `GET https://<site>.atlassian.net/_edge/tenant_info` → `{"cloudId":"…"}` (atlassian-api.md §1.5,
 * Atlassian support KB). It is informational (diagnostics show which organisation is connected),
 * and whether it needs no auth is UNCONFIRMED, so any failure simply yields null.
 */
import { z } from 'zod';
import type { FetchLike } from './http';

const tenantInfoSchema = z.object({ cloudId: z.string().min(1) });

export async function getTenantCloudId(fetch: FetchLike, site: string): Promise<string | null> {
  try {
    const res = await fetch(`${site}/_edge/tenant_info`, { method: 'GET', headers: { Accept: 'application/json' } });
    if (!res.ok) return null;
    const parsed = tenantInfoSchema.safeParse(await res.json());
    return parsed.success ? parsed.data.cloudId : null;
  } catch {
    return null;
  }
}
