import { describe, expect, it } from 'vitest';
import type { MatchResult, OwnerMark, SyncedAccount } from '../../../lib/model';
import { matchAccounts } from '../../../lib/match/match-accounts';
import { account, confirm, link, person, unlink } from './fixtures';

const jane = person({ id: 'email:jane@acme.com', name: 'Jane Doe', workEmail: 'jane@acme.com', altEmails: ['jd@gmail.com'], row: 2 });
const janeTwin = person({ id: 'email:jane.doe2@acme.com', name: 'Jane Doe', workEmail: 'jane.doe2@acme.com', row: 14 });
const janeTriplet = person({ id: 'name:jane doe', name: 'Jane Doe', row: 90 });
const bob = person({ id: 'email:bob@acme.com', name: 'Bob Roe', workEmail: 'bob@acme.com', altEmails: ['shared@acme.com'], row: 3 });
const carol = person({ id: 'email:carol@acme.com', name: 'Carol Poe', workEmail: 'carol@acme.com', altEmails: ['shared@acme.com', 'bob.old@acme.com'], row: 4 });
// Someone whose alternate email is Bob's work email: Bob's work email must win.
const dave = person({ id: 'email:dave@acme.com', name: 'Dave Zoe', workEmail: 'dave@acme.com', altEmails: ['bob@acme.com'], row: 5 });

function matchOne(acc: SyncedAccount, people = [jane, bob, carol, dave], mark?: OwnerMark): MatchResult {
  const marks = new Map<string, OwnerMark>(mark ? [[acc.accountId, mark]] : []);
  const result = matchAccounts([acc], people, marks).get(acc.accountId);
  if (!result) throw new Error('no result');
  return result;
}

describe('matchAccounts rules', () => {
  it.each<[string, SyncedAccount, OwnerMark | undefined, Partial<MatchResult>]>([
    [
      'work email from Confluence, any case and spacing',
      account({ accountId: 'a1', displayName: 'Someone Else', email: ' JANE@Acme.com ', emailSource: 'confluence' }),
      undefined,
      { rule: 'email', personId: jane.id, confirmed: true, explanation: "Email jane@acme.com (from Confluence) matches the roster's work email of Jane Doe" },
    ],
    [
      'work email from Jira',
      account({ accountId: 'a1', email: 'jane@acme.com', emailSource: 'jira' }),
      undefined,
      { rule: 'email', personId: jane.id, confirmed: true, explanation: "Email jane@acme.com (from Jira) matches the roster's work email of Jane Doe" },
    ],
    [
      'alternate email',
      account({ accountId: 'a1', email: 'JD@gmail.com', emailSource: 'confluence' }),
      undefined,
      { rule: 'email', personId: jane.id, confirmed: true, explanation: 'Email jd@gmail.com (from Confluence) matches an alternate email of Jane Doe' },
    ],
    [
      "work email beats someone else's alternate email",
      account({ accountId: 'a1', email: 'bob@acme.com', emailSource: 'jira' }),
      undefined,
      { rule: 'email', personId: bob.id },
    ],
    [
      'alternate email claimed by two people is ambiguous',
      account({ accountId: 'a1', displayName: 'Shared Inbox', email: 'shared@acme.com', emailSource: 'confluence' }),
      undefined,
      {
        rule: 'none', personId: null, candidates: [bob.id, carol.id],
        explanation: 'Email shared@acme.com is an alternate email of 2 people (Bob Roe, row 3; Carol Poe, row 4): link one manually',
      },
    ],
    [
      'email beats a display name that points at someone else',
      account({ accountId: 'a1', displayName: 'Bob Roe', email: 'jane@acme.com', emailSource: 'confluence' }),
      undefined,
      { rule: 'email', personId: jane.id },
    ],
    [
      'unique display name, unconfirmed',
      account({ accountId: 'a1', displayName: 'Jane Doe (Unlicensed)', email: 'jane@other.org', emailSource: 'jira' }),
      undefined,
      { rule: 'name', personId: jane.id, confirmed: false, candidates: [], explanation: 'Display name "Jane Doe (Unlicensed)" matches Jane Doe — needs confirmation' },
    ],
    [
      'unique display name written "Last, First" with accents',
      account({ accountId: 'a1', displayName: 'Doe, Jané' }),
      undefined,
      { rule: 'name', personId: jane.id, confirmed: false },
    ],
    [
      'falls back to publicName when displayName is empty',
      account({ accountId: 'a1', displayName: '', publicName: 'Bob Roe' }),
      undefined,
      { rule: 'name', personId: bob.id, explanation: 'Display name "Bob Roe" matches Bob Roe — needs confirmation' },
    ],
    [
      'name match confirmed by a confirm mark for the same person',
      account({ accountId: 'a1', displayName: 'Jane Doe' }),
      confirm(jane.id),
      { rule: 'name', personId: jane.id, confirmed: true, explanation: 'Display name "Jane Doe" matches Jane Doe (confirmed by a reviewer)' },
    ],
    [
      'a confirm mark for a different person does not confirm',
      account({ accountId: 'a1', displayName: 'Jane Doe' }),
      confirm(bob.id),
      { rule: 'name', personId: jane.id, confirmed: false },
    ],
    [
      'manual link',
      account({ accountId: 'a1', displayName: 'ci-bot', email: 'jane@acme.com', emailSource: 'confluence' }),
      link(bob.id),
      { rule: 'manual', personId: bob.id, confirmed: true, candidates: [], explanation: 'Linked manually to Bob Roe' },
    ],
    [
      'link to a person no longer in the roster falls through to email',
      account({ accountId: 'a1', email: 'jane@acme.com', emailSource: 'confluence' }),
      link('email:gone@acme.com'),
      {
        rule: 'email', personId: jane.id,
        explanation: "The linked person (email:gone@acme.com) is no longer in the roster. Email jane@acme.com (from Confluence) matches the roster's work email of Jane Doe",
      },
    ],
    [
      'link to a removed person with nothing else matching',
      account({ accountId: 'a1', displayName: 'Zed Nobody' }),
      link('email:gone@acme.com'),
      { rule: 'none', personId: null, explanation: 'The linked person (email:gone@acme.com) is no longer in the roster. No roster person with the name "Zed Nobody"' },
    ],
    [
      'unlink removes the email match and the name match to that person',
      account({ accountId: 'a1', displayName: 'Jane Doe', email: 'jane@acme.com', emailSource: 'confluence' }),
      unlink(jane.id),
      { rule: 'none', personId: null, candidates: [], explanation: 'No roster person with email jane@acme.com or the name "Jane Doe" (match to email:jane@acme.com removed by a reviewer)' },
    ],
    [
      "unlinking the work-email owner lets another person's alternate email match",
      account({ accountId: 'a1', email: 'bob@acme.com', emailSource: 'confluence' }),
      unlink(bob.id),
      { rule: 'email', personId: dave.id, explanation: 'Email bob@acme.com (from Confluence) matches an alternate email of Dave Zoe' },
    ],
    [
      'unlinking one of two alternate-email claimants leaves the other',
      account({ accountId: 'a1', email: 'shared@acme.com', emailSource: 'jira' }),
      unlink(bob.id),
      { rule: 'email', personId: carol.id },
    ],
    [
      'unlink of the email person still allows a name match to someone else',
      account({ accountId: 'a1', displayName: 'Bob Roe', email: 'jane@acme.com', emailSource: 'confluence' }),
      unlink(jane.id),
      { rule: 'name', personId: bob.id },
    ],
    [
      'no match at all',
      account({ accountId: 'a1', displayName: 'Jane Roe', email: 'jane@roe.org', emailSource: 'confluence' }),
      undefined,
      { rule: 'none', personId: null, confirmed: false, candidates: [], explanation: 'No roster person with email jane@roe.org or the name "Jane Roe"' },
    ],
    [
      'account with neither email nor name',
      account({ accountId: 'a1' }),
      undefined,
      { rule: 'none', explanation: 'Account has no email or name to match' },
    ],
  ])('%s', (_label, acc, mark, expected) => {
    expect(matchOne(acc, undefined, mark)).toMatchObject(expected);
  });

  describe('display-name ties', () => {
    const people = [jane, janeTwin, janeTriplet, bob];
    it('two or more people with the name → no match, candidates listed', () => {
      expect(matchOne(account({ accountId: 'a1', displayName: 'jane  doe' }), people)).toEqual({
        rule: 'none',
        personId: null,
        confirmed: false,
        candidates: [jane.id, janeTwin.id, janeTriplet.id],
        explanation: 'Display name "jane  doe" matches 3 people (Jane Doe, row 2; Jane Doe, row 14; Jane Doe, row 90): link one manually',
      });
    });

    it('a confirm mark does not break a tie', () => {
      expect(matchOne(account({ accountId: 'a1', displayName: 'Jane Doe' }), people, confirm(jane.id)).rule).toBe('none');
    });

    it('unlinking all but one namesake leaves a unique name match', () => {
      const two = [jane, janeTwin];
      expect(matchOne(account({ accountId: 'a1', displayName: 'Jane Doe' }), two, unlink(jane.id))).toMatchObject({
        rule: 'name',
        personId: janeTwin.id,
      });
    });

    it('a manual link resolves a tie', () => {
      expect(matchOne(account({ accountId: 'a1', displayName: 'Jane Doe' }), people, link(janeTwin.id))).toMatchObject({
        rule: 'manual',
        personId: janeTwin.id,
      });
    });

    it('a name tie is reported before an ambiguous alternate email', () => {
      const acc = account({ accountId: 'a1', displayName: 'Jane Doe', email: 'shared@acme.com', emailSource: 'confluence' });
      expect(matchOne(acc, [jane, janeTwin, bob, carol]).candidates).toEqual([jane.id, janeTwin.id]);
    });
  });

  it('returns one result per account id, each decided on its own marks', () => {
    const accounts = [
      account({ accountId: 'a1', displayName: 'Jane Doe' }),
      account({ accountId: 'a2', displayName: 'Jane Doe' }),
      account({ accountId: 'a3', email: 'bob@acme.com', emailSource: 'jira' }),
    ];
    const marks = new Map<string, OwnerMark>([['a2', confirm(jane.id)]]);
    const results = matchAccounts(accounts, [jane, bob], marks);
    expect([...results.keys()]).toEqual(['a1', 'a2', 'a3']);
    expect(results.get('a1')?.confirmed).toBe(false);
    expect(results.get('a2')?.confirmed).toBe(true);
    expect(results.get('a3')?.rule).toBe('email');
  });
});
