import { useEffect, useState } from 'preact/hooks';
import type { SiteSummary } from '@/lib/messages';
import type { ReviewCadence } from '@/lib/model';
import { send } from './messaging';
import { ErrorText, useAction } from './useAction';

/**
 * Grace period, dormancy threshold and review cadence (global), sync interval (per site). Limits
 * mirror the saveSettings schema (lib/service/requests/roster.ts). The cadence is sent only when changed.
 */
export function SettingsForm({
  graceDays,
  dormantDays,
  cadence,
  site,
  onSaved,
}: {
  graceDays: number;
  dormantDays: number;
  cadence?: ReviewCadence;
  site: SiteSummary | null;
  onSaved: () => void;
}) {
  const [grace, setGrace] = useState(String(graceDays));
  const [dormant, setDormant] = useState(String(dormantDays));
  const [every, setEvery] = useState(String(cadence?.reviewEveryDays ?? ''));
  const [due, setDue] = useState(String(cadence?.remediationDueDays ?? ''));
  useEffect(() => setEvery(String(cadence?.reviewEveryDays ?? '')), [cadence?.reviewEveryDays]);
  useEffect(() => setDue(String(cadence?.remediationDueDays ?? '')), [cadence?.remediationDueDays]);
  const [hours, setHours] = useState(site ? String(site.syncIntervalHours) : '');
  const [saved, setSaved] = useState(false);
  const { busy, error, setError, run } = useAction();

  useEffect(() => setGrace(String(graceDays)), [graceDays]);
  useEffect(() => setDormant(String(dormantDays)), [dormantDays]);
  useEffect(() => setHours(site ? String(site.syncIntervalHours) : ''), [site?.site, site?.syncIntervalHours]);

  async function save() {
    setSaved(false);
    const graceValue = Number(grace);
    if (grace.trim() === '' || !Number.isInteger(graceValue) || graceValue < 0 || graceValue > 365) {
      setError('Offboarding grace period must be a whole number of days from 0 to 365.');
      return;
    }
    const dormantValue = Number(dormant);
    if (dormant.trim() === '' || !Number.isInteger(dormantValue) || dormantValue < 1 || dormantValue > 3650) {
      setError('Dormant after must be a whole number of days from 1 to 3650.');
      return;
    }
    const hoursValue = Number(hours);
    if (site && (hours.trim() === '' || !Number.isFinite(hoursValue) || hoursValue < 1 || hoursValue > 720)) {
      setError('Sync interval must be between 1 and 720 hours.');
      return;
    }
    const everyValue = Number(every);
    const dueValue = Number(due);
    if (cadence && (every.trim() === '' || !Number.isInteger(everyValue) || everyValue < 1 || everyValue > 3650)) {
      setError('Review every must be a whole number of days from 1 to 3650.');
      return;
    }
    if (cadence && (due.trim() === '' || !Number.isInteger(dueValue) || dueValue < 1 || dueValue > 365)) {
      setError('Remediation due must be a whole number of days from 1 to 365.');
      return;
    }
    const ok = await run(async () => {
      await send({
        type: 'saveSettings',
        graceDays: graceValue,
        dormantDays: dormantValue,
        ...(site && { site: site.site, syncIntervalHours: hoursValue }),
        ...(cadence && everyValue !== cadence.reviewEveryDays && { reviewEveryDays: everyValue }),
        ...(cadence && dueValue !== cadence.remediationDueDays && { remediationDueDays: dueValue }),
      });
    });
    if (ok) {
      setSaved(true);
      onSaved();
    }
  }

  return (
    <div>
      <label for="settings-grace">Offboarding grace period (days)</label>
      <input id="settings-grace" type="number" min={0} max={365} step={1} value={grace} onInput={(e) => setGrace(e.currentTarget.value)} />
      <p class="muted">How long after a person's end date an account may stay before it is flagged “Revoke overdue”.</p>
      <label for="settings-dormant">Dormant after (days)</label>
      <input id="settings-dormant" type="number" min={1} max={3650} step={1} value={dormant} onInput={(e) => setDormant(e.currentTarget.value)} />
      <p class="muted">An account with no Confluence activity on the site for longer than this is flagged “Dormant” (needs activity data: a user export or an organization API key).</p>
      {cadence && (
        <>
          <label for="settings-review-every">Review every (days)</label>
          <input id="settings-review-every" type="number" min={1} max={3650} step={1} value={every} onInput={(e) => setEvery(e.currentTarget.value)} />
          <p class="muted">A site whose last completed access review is older is marked “Review due”.</p>
          <label for="settings-remediation-due">Remediation due (days)</label>
          <input id="settings-remediation-due" type="number" min={1} max={365} step={1} value={due} onInput={(e) => setDue(e.currentTarget.value)} />
          <p class="muted">A Revoke or Modify access decision not yet seen done by a sync this long after sign-off is overdue.</p>
        </>
      )}
      <label for="settings-hours">Sync every (hours)</label>
      <input
        id="settings-hours"
        type="number"
        min={1}
        max={720}
        step={1}
        disabled={!site}
        value={hours}
        onInput={(e) => setHours(e.currentTarget.value)}
      />
      <p class="muted">{site ? `For ${site.siteName}.` : 'Connect a site to set its sync interval.'}</p>
      <div class="row">
        <button type="button" class="primary" disabled={busy} onClick={save}>
          Save settings
        </button>
        {saved && (
          <span class="ok" role="status">
            Settings saved
          </span>
        )}
      </div>
      <ErrorText text={error} />
    </div>
  );
}
