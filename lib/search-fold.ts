/**
 * Folds text for the "Why is this account missing?" substring search: case-insensitive, accents
 * ignored, spaces collapsed. Unlike matching's `normaliseName` (lib/roster/names.ts) it keeps
 * suffixes such as "(Unlicensed)", so they can be searched for.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
