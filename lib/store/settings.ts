/** Review settings (global, not per site). */
import type { ReviewCadence, ReviewSettings } from '../model';
import type { Store } from './schema';

export const DEFAULT_SETTINGS: ReviewSettings = { graceDays: 3, dormantDays: 90 };

export async function getSettings(store: Store): Promise<ReviewSettings> {
  const record = await store.db.get('meta', 'settings');
  return record?.key === 'settings' ? { ...DEFAULT_SETTINGS, ...record.value } : { ...DEFAULT_SETTINGS };
}

export async function putSettings(store: Store, settings: ReviewSettings): Promise<void> {
  await store.db.put('meta', { key: 'settings', value: settings });
}

export const DEFAULT_CADENCE: ReviewCadence = { reviewEveryDays: 90, remediationDueDays: 14 };

/** Review cadence (global): kept apart from ReviewSettings, which flags are computed with. */
export async function getCadence(store: Store): Promise<ReviewCadence> {
  const record = await store.db.get('meta', 'cadence');
  return record?.key === 'cadence' ? { ...DEFAULT_CADENCE, ...record.value } : { ...DEFAULT_CADENCE };
}

export async function putCadence(store: Store, cadence: ReviewCadence): Promise<void> {
  await store.db.put('meta', { key: 'cadence', value: cadence });
}
