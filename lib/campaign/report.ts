/**
 * report.html of the evidence package: one self-contained page (no script, no remote resource,
 * inline styles) that prints cleanly to PDF — scope, reviewer, dates, seal, summary counts,
 * flagged accounts with their explanations and decisions, the diff, remediation and caveats.
 * Pure.
 */
import { FLAG_LABELS } from '../review/filters';
import type { ReviewDocument } from './document';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

const h = (v: string | number | null | undefined) => escapeHtml(v === null || v === undefined ? '—' : String(v));

const DECISION_TEXT: Record<string, string> = { keep: 'Keep', revoke: 'Revoke', modify: 'Modify access' };

function table(headers: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="muted">${escapeHtml(empty)}</p>`;
  return `<table><thead><tr>${headers.map((x) => `<th>${escapeHtml(x)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:11pt;color:#111;margin:24px;line-height:1.4}
h1{font-size:18pt;margin:0 0 4px}h2{font-size:13pt;margin:20px 0 6px;border-bottom:1px solid #999;padding-bottom:2px}
table{border-collapse:collapse;width:100%;font-size:9.5pt}th,td{border:1px solid #bbb;padding:3px 5px;text-align:left;vertical-align:top}
th{background:#eee}dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:4px 0}dt{color:#444}dd{margin:0;overflow-wrap:anywhere}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:9pt;overflow-wrap:anywhere}.muted{color:#555}
.status{display:inline-block;border:1px solid #111;padding:0 6px;border-radius:3px;font-weight:600}
ul{margin:2px 0;padding-left:18px}
@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}thead{display:table-header-group}}
@page{margin:14mm}`;

export function reportHtml(doc: ReviewDocument): string {
  const rows = doc.rows;
  const inReview = rows.filter((r) => r.filtered_reason === null);
  const count = (d: string) => inReview.filter((r) => r.decision === d).length;
  const flagged = inReview.filter((r) => r.flags.length > 0);
  const byId = new Map(rows.map((r) => [r.account_id, r]));
  const remediation = doc.remediation.items;
  const remCount = (s: string) => remediation.filter((i) => i.status === s).length;

  const summary: [string, string | number][] = [
    ['Accounts in the snapshot', rows.length],
    ['In review', inReview.length],
    ['Filtered out (app or inactive)', rows.length - inReview.length],
    ['Flagged', flagged.length],
    ['Decided', inReview.filter((r) => r.decision !== null).length],
    ['Keep', count('keep')],
    ['Revoke', count('revoke')],
    ['Modify access', count('modify')],
    ['Remediation pending / overdue / verified', `${remCount('pending')} / ${remCount('overdue')} / ${remCount('verified')}`],
  ];

  const flaggedRows = flagged.map((r) => [
    `${h(r.display_name)}<br><code>${h(r.account_id)}</code>`,
    `<ul>${r.explanations.flags.map((f) => `<li><strong>${h(FLAG_LABELS[f.flag])}</strong>: ${h(f.explanation)}</li>`).join('')}</ul>`,
    h(r.decision ? DECISION_TEXT[r.decision] ?? r.decision : 'Undecided') +
      (r.remove_from_groups.length > 0 ? `<br>remove from ${h(r.remove_from_groups.join(', '))}` : ''),
    h(r.note || null),
  ]);

  const diff = doc.diff;
  const diffSection = diff
    ? `<p>Against the review completed ${h(diff.previousCompletedAt)} (<code>${h(diff.previousReviewId)}</code>): ${diff.added.length} new, ${diff.removed.length} removed, ${diff.changed.length} changed.</p>
${table(
  ['Change', 'Account', 'Fields'],
  [
    ...diff.added.map((id) => ['New', `${h(byId.get(id)?.display_name)} <code>${h(id)}</code>`, '']),
    ...diff.removed.map((id) => ['Removed', `<code>${h(id)}</code>`, '']),
    ...diff.changed.map((c) => ['Changed', `${h(byId.get(c.accountId)?.display_name)} <code>${h(c.accountId)}</code>`, h(c.fields.join(', '))]),
  ],
  'No account changed since the previous review.',
)}`
    : '<p class="muted">This is the first completed review of the site: there is nothing to compare with.</p>';

  const caveats = Object.values(doc.caveats);
  const caveatNames = ['Hidden emails', 'Unknown statuses', 'Name-only matches'];

  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Access review — ${h(doc.site)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<h1>Access review — ${h(doc.site)}</h1>
<p><span class="status">${doc.status === 'completed' ? 'Completed and sealed' : 'Open — not signed off'}</span> Generated ${h(doc.generatedAt)} by Access Lens ${h(doc.extensionVersion)}.</p>
<h2>Scope</h2>
<dl>
<dt>Site</dt><dd>${h(doc.site)} (cloud id <code>${h(doc.cloudId)}</code>)</dd>
<dt>Monitored groups</dt><dd>${h(doc.groups.map((g) => g.name).join(', '))}</dd>
<dt>Snapshot</dt><dd>sync <code>${h(doc.sync.runId)}</code> of ${h(doc.sync.syncedAt)}</dd>
<dt>Roster</dt><dd>${doc.roster ? `${h(doc.roster.fileName)}, imported ${h(doc.roster.importedAt)}, ${h(doc.roster.rows)} rows, SHA-256 <code>${h(doc.roster.sha256)}</code>` : 'none imported'}</dd>
<dt>Controls</dt><dd>${h(doc.controls.join('; '))}</dd>
</dl>
<h2>Reviewer and dates</h2>
<dl>
<dt>Reviewer</dt><dd>${h(doc.reviewer.name)} (Atlassian account <code>${h(doc.reviewer.accountId)}</code>)</dd>
<dt>Started</dt><dd>${h(doc.startedAt)}</dd>
<dt>Completed</dt><dd>${h(doc.completedAt)}</dd>
<dt>Sign-off statement</dt><dd>${h(doc.signOff || null)}</dd>
<dt>Seal (SHA-256)</dt><dd><code>${h(doc.seal)}</code></dd>
</dl>
<p class="muted">${h(doc.sealCovers)}</p>
<h2>Summary</h2>
${table(['What', 'Count'], summary.map(([k, v]) => [h(k), h(v)]), '')}
<h2>Flagged accounts (${flagged.length})</h2>
${table(['Account', 'Flags and why', 'Decision', 'Note'], flaggedRows, 'No account in the review carries a flag.')}
<h2>Changes since the previous review</h2>
${diffSection}
<h2>Remediation (due within ${h(doc.remediation.dueDays)} days)</h2>
${table(
  ['Account', 'Decision', 'Groups', 'Status', 'Verified by the sync of'],
  remediation.map((i) => [`${h(i.displayName)} <code>${h(i.accountId)}</code>`, h(DECISION_TEXT[i.decision]), h(i.groups.join(', ')), h(i.status), h(i.verifiedAt)]),
  doc.status === 'completed' ? 'No Revoke or Modify access decision: nothing to remediate.' : 'Remediation starts when the review is completed.',
)}
<h2>Caveats</h2>
${table(['Caveat', 'Accounts', 'What it means'], caveats.map((c, i) => [h(caveatNames[i]), h(c.count), h(c.meaning)]), '')}
</body></html>
`;
}
