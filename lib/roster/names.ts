/**
 * Name and email normalisation shared by roster import (person ids) and matching (display names).
 * Both sides must normalise the same way, so there is exactly one implementation.
 */

/** Apostrophes and dots vanish ("O'Brien" = "OBrien", "J. Doe" = "J Doe"). */
const DROPPED_PUNCTUATION = /[.'’‘`ʼ´]/g;
/** Anything else that is not a letter, digit or whitespace separates words ("Mary-Jane" = "Mary Jane"). */
const SEPARATOR_PUNCTUATION = /[^\p{L}\p{N}\s]+/gu;
const COMBINING_MARKS = /\p{M}+/gu;
const NON_ASCII = /[^\x00-\x7f]/;
/** Words of ASCII letters/digits separated by single spaces, no leading/trailing space. */
const SIMPLE_NAME = /^[A-Za-z0-9]+(?: [A-Za-z0-9]+)*$/;
const WHITESPACE = /\s/;

function isWhitespace(c: string | undefined): boolean {
  return c !== undefined && WHITESPACE.test(c);
}

/**
 * Atlassian appends `(Unlicensed)`, `(Deactivated)`, `(Former user)`, `(System)`, `(Guest)` to
 * display names; people add `(Contractor)`, `(she/her)`… Any trailing parenthesised text goes,
 * repeatedly (`Ann (she/her) (Unlicensed)` → `Ann`), with the whitespace around it: what
 * removing `/\s*[([][^()[\]]*[)\]]\s*$/` until nothing matches gives. That regex, retried at
 * every start and once per suffix, took quadratic time on long input (30,000 characters: 1.5 s);
 * this reads each character at most once, from the end.
 */
function stripTrailingParenthesised(s: string): string {
  let end = s.length;
  for (;;) {
    let i = end;
    while (isWhitespace(s[i - 1])) i--;
    const close = s[i - 1];
    if (close !== ')' && close !== ']') break;
    i--;
    while (i > 0 && !'()[]'.includes(s[i - 1] as string)) i--;
    const open = s[i - 1];
    if (open !== '(' && open !== '[') break;
    i--;
    while (isWhitespace(s[i - 1])) i--;
    end = i;
  }
  return end === s.length ? s : s.slice(0, end);
}

/**
 * The form two names are compared in: accents dropped (NFKD without combining marks), lower case,
 * `.` and `'` removed, other punctuation treated as a space, whitespace collapsed, trailing
 * parenthesised suffixes dropped, and "Last, First" turned into "first last".
 */
export function normaliseName(raw: string): string {
  // Fast path (most names, and this runs for every account and person): plain ASCII letters,
  // digits and single spaces need only lower-casing. Same result as the full path below.
  if (SIMPLE_NAME.test(raw)) return raw.toLowerCase();
  let s = NON_ASCII.test(raw) ? raw.normalize('NFKD').replace(COMBINING_MARKS, '') : raw;
  s = stripTrailingParenthesised(s);
  s = s.toLowerCase();
  if (s.includes(',')) {
    const commaParts = s.split(',');
    if (commaParts.length === 2) {
      const [last = '', first = ''] = commaParts;
      if (last.trim() !== '' && first.trim() !== '') s = `${first} ${last}`;
    }
  }
  return s
    .replace(DROPPED_PUNCTUATION, '')
    .replace(SEPARATOR_PUNCTUATION, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Emails compare trimmed and case-insensitively; the roster stores them in this form. */
export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}
