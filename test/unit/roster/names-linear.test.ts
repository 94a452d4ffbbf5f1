/**
 * Security finding 6: `normaliseName` runs on every Atlassian display name and roster name, and
 * its trailing-suffix regex was quadratic (30,000 characters: 1.5 s in Node; 200,000: 30 to 60 s).
 * Linear code handles 200,000 characters in a few milliseconds, so a bound of a second per call
 * fails only for super-linear code, however busy or fast the machine.
 */
import { describe, expect, it } from 'vitest';
import { headerKey } from '../../../lib/roster/columns';
import { parseRosterDate } from '../../../lib/roster/dates';
import { normaliseEmail, normaliseName } from '../../../lib/roster/names';
import { isTerminatedStatus } from '../../../lib/roster/status';
import { createRng, pick, randInt } from '../../fake-atlassian/prng';

const N = 200_000;
const BOUND_MS = 1_000;

/** Inputs that made the old code backtrack or loop: whitespace runs, many suffixes, brackets. */
const HOSTILE: Record<string, string> = {
  'a run of spaces before a closing bracket': `a${' '.repeat(N)}x)`,
  'spaces then a closing bracket': `${' '.repeat(N)})x`,
  'many empty suffixes': `x${'()'.repeat(N / 2)}`,
  'many spaced suffixes': `x${' ()'.repeat(N / 3)}`,
  'many square suffixes with accents': `é${' [é]'.repeat(N / 4)}`,
  'unclosed brackets': '('.repeat(N),
  'closing brackets': ')'.repeat(N),
  'words and a stop': `${'ab '.repeat(N / 3)}!`,
  'commas': 'a,'.repeat(N / 2),
  'dashes and spaces': `1${' -'.repeat(N / 2)}`,
  'letters then a year': `${'a'.repeat(N)} 2024`,
};

const FUNCTIONS: Record<string, (s: string) => unknown> = { normaliseName, normaliseEmail, parseRosterDate, headerKey, isTerminatedStatus };

describe('roster text functions take linear time', () => {
  it.each(Object.keys(FUNCTIONS))('%s: every hostile 200,000-character input within a second', (name) => {
    const fn = FUNCTIONS[name] as (s: string) => unknown;
    const slow: string[] = [];
    for (const [shape, input] of Object.entries(HOSTILE)) {
      const started = performance.now();
      fn(input);
      const ms = performance.now() - started;
      if (ms > BOUND_MS) {
        slow.push(`${shape}: ${Math.round(ms)} ms`);
        break; // one is enough: a quadratic version would spend half a minute on each
      }
    }
    expect(slow).toEqual([]);
  }, 120_000);

  it('removes many trailing suffixes in one go, as before', () => {
    expect(normaliseName(`Ann Lee${' (x)'.repeat(10_000)}`)).toBe('ann lee');
    expect(normaliseName(`Ann Lee (she/her) [Guest]  (Unlicensed) `)).toBe('ann lee');
  });
});

/** The previous implementation, as the reference for what the linear one must return. */
function referenceNormaliseName(raw: string): string {
  const TRAILING_PARENTHESISED = /\s*[([][^()[\]]*[)\]]\s*$/;
  let s = /[^\x00-\x7f]/.test(raw) ? raw.normalize('NFKD').replace(/\p{M}+/gu, '') : raw;
  if (s.includes(')') || s.includes(']')) {
    let previous: string;
    do {
      previous = s;
      s = s.replace(TRAILING_PARENTHESISED, '');
    } while (s !== previous);
  }
  s = s.toLowerCase();
  if (s.includes(',')) {
    const commaParts = s.split(',');
    if (commaParts.length === 2) {
      const [last = '', first = ''] = commaParts;
      if (last.trim() !== '' && first.trim() !== '') s = `${first} ${last}`;
    }
  }
  return s
    .replace(/[.'’‘`ʼ´]/g, '')
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('normaliseName: same results as the regex version', () => {
  it('on 50,000 random short names built from brackets, spaces, letters and punctuation', () => {
    const rng = createRng(6);
    const alphabet = ['a', 'B', 'é', ' ', ' ', '\t', '\u00a0', '(', ')', '[', ']', ',', '.', "'", '-', '/'];
    const differing: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const name = Array.from({ length: randInt(rng, 14) }, () => pick(rng, alphabet)).join('');
      if (normaliseName(name) !== referenceNormaliseName(name)) differing.push(JSON.stringify(name));
    }
    expect(differing).toEqual([]);
  });
});
