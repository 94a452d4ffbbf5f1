import type { SiteSummary } from '@/lib/messages';

/** Chooses which connected site a page is about. */
export function SiteSelect({ sites, value, onChange }: { sites: SiteSummary[]; value: string; onChange: (site: string) => void }) {
  return (
    <div>
      <label for="site-select">Site</label>
      <select id="site-select" value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {sites.map((s) => (
          <option key={s.site} value={s.site}>
            {s.siteName} ({s.site})
          </option>
        ))}
      </select>
    </div>
  );
}
