/**
 * Text from Atlassian or from a roster file, made safe to show: pages render it as text (never
 * HTML), and this makes the characters that would otherwise act invisibly visible instead.
 * Bidirectional controls (an RLO can make `gpj.exe` read as `exe.jpg`) are shown by name, not
 * obeyed; NUL and other control characters and zero-width spaces are shown as symbols. Joiners
 * (ZWJ, ZWNJ) stay: scripts such as Persian and Indic ones, and emoji, need them. Pure.
 */

/** Bidirectional formatting characters (Unicode UAX #9), by their usual abbreviation. */
const BIDI_NAMES: Record<string, string> = {
  '\u061C': 'ALM',
  '\u200E': 'LRM',
  '\u200F': 'RLM',
  '\u202A': 'LRE',
  '\u202B': 'RLE',
  '\u202C': 'PDF',
  '\u202D': 'LRO',
  '\u202E': 'RLO',
  '\u2066': 'LRI',
  '\u2067': 'RLI',
  '\u2068': 'FSI',
  '\u2069': 'PDI',
};

const INVISIBLE_NAMES: Record<string, string> = {
  '\u200B': 'ZWSP',
  '\u2060': 'WJ',
  '\uFEFF': 'ZWNBSP',
  '\u00AD': 'SHY',
};

// C0 controls except tab and newline, DEL, C1 controls, bidi controls and invisible spaces.
const HIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;

function shown(ch: string): string {
  const name = BIDI_NAMES[ch] ?? INVISIBLE_NAMES[ch];
  if (name) return `⟨${name}⟩`;
  const code = ch.charCodeAt(0);
  // U+2400…U+241F are the "control pictures" of C0 (␀ for NUL); DEL is ␡.
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/** `text` with every bidi control, control character and invisible space replaced by a visible stand-in. */
export function visibleText(text: string): string {
  return text.replace(HIDDEN, shown);
}

/** True when `visibleText` would change `text`. */
export function hasHiddenCharacters(text: string): boolean {
  HIDDEN.lastIndex = 0;
  const found = HIDDEN.test(text);
  HIDDEN.lastIndex = 0;
  return found;
}
