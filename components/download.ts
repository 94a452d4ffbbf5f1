/** Saves text as a file through a Blob URL and a temporary `<a download>`. */
export function downloadText(fileName: string, mimeType: string, text: string): void {
  downloadBlob(fileName, new Blob([text], { type: mimeType }));
}

/** Saves a Blob as a file through a Blob URL and a temporary `<a download>`. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: some browsers start reading the URL only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `access-lens-<sitename>-<YYYY-MM-DD>.<ext>`, with the site name reduced to safe characters. */
export function exportFileName(siteName: string, date: string, ext: 'csv' | 'json'): string {
  const safe = siteName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'site';
  return `access-lens-${safe}-${date}.${ext}`;
}
