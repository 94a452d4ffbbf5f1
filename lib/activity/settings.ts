/**
 * "Dormant after (days)": the admin's setting, validated with this before it is stored. Apart from
 * ./flags.ts so the pages that show flags do not bundle zod.
 */
import { z } from 'zod';
import { DEFAULT_DORMANT_DAYS } from './flags';

export const activitySettingsSchema = z.object({
  dormantDays: z.number().int().min(1).max(3650).default(DEFAULT_DORMANT_DAYS),
});
