/** Review settings (global, not per site). */
import type { ReviewSettings } from '../model';
import type { Store } from './schema';

export const DEFAULT_SETTINGS: ReviewSettings = { graceDays: 3, dormantDays: 90 };

export async function getSettings(store: Store): Promise<ReviewSettings> {
  const record = await store.db.get('meta', 'settings');
  return record?.key === 'settings' ? { ...DEFAULT_SETTINGS, ...record.value } : { ...DEFAULT_SETTINGS };
}

export async function putSettings(store: Store, settings: ReviewSettings): Promise<void> {
  await store.db.put('meta', { key: 'settings', value: settings });
}
