import { describe, expect, it } from 'vitest';
import { accountIdFromLink, accountIdFromUrl, groupFromUrl } from '@/lib/page-context';

const HEX = '5b10ac8d82e05b22cc7d4ef5';
const UUID = '557058:f6688130-1234-4abc-9def-0123456789ab';

describe('accountIdFromUrl', () => {
  const cases: [string, ReturnType<typeof accountIdFromUrl>][] = [
    [`https://acme.atlassian.net/wiki/people/${HEX}`, { host: 'acme.atlassian.net', accountId: HEX }],
    [`https://acme.atlassian.net/wiki/people/${UUID}?ref=confluence`, { host: 'acme.atlassian.net', accountId: UUID }],
    [`https://acme.atlassian.net/wiki/people/557058%3Af6688130-1234-4abc-9def-0123456789ab&src=profilecard`, null],
    [`https://acme.atlassian.net/wiki/people/557058%3Af6688130-1234-4abc-9def-0123456789ab?src=profilecard`, { host: 'acme.atlassian.net', accountId: UUID }],
    [`https://ACME.atlassian.net/wiki/people/${HEX}/`, { host: 'acme.atlassian.net', accountId: HEX }],
    [`https://admin.atlassian.com/o/org-123/users/${UUID}`, { host: 'admin.atlassian.com', accountId: UUID }],
    [`https://admin.atlassian.com/o/org-123/members/${HEX}`, { host: 'admin.atlassian.com', accountId: HEX }],
    [`https://admin.atlassian.com/s/0f1e2d3c-aaaa-bbbb-cccc-111122223333/users/${HEX}#x`, { host: 'admin.atlassian.com', accountId: HEX }],
    // Not about one account
    ['https://acme.atlassian.net/wiki/spaces/ENG/pages/123/Title', null],
    ['https://admin.atlassian.com/o/org-123/users', null],
    ['https://admin.atlassian.com/o/org-123/groups/abc', null],
    [`https://acme.atlassian.net/wiki/people/${HEX}/extra`, null],
    // Not an account id
    ['https://acme.atlassian.net/wiki/people/not-an-id', null],
    ['https://acme.atlassian.net/wiki/people/5b10ac8d82e05b22cc7d4ef', null],
    // Wrong host / scheme
    [`https://evil.example.com/wiki/people/${HEX}`, null],
    [`https://acme.atlassian.net.evil.com/wiki/people/${HEX}`, null],
    [`http://acme.atlassian.net/wiki/people/${HEX}`, null],
    [`https://admin.atlassian.net/o/x/users/${HEX}`, null],
    ['not a url', null],
    ['https://acme.atlassian.net/wiki/people/%E0%A4%A', null],
  ];
  it.each(cases)('%s', (url, expected) => {
    expect(accountIdFromUrl(url)).toEqual(expected);
  });
});

describe('groupFromUrl', () => {
  const cases: [string, ReturnType<typeof groupFromUrl>][] = [
    ['https://admin.atlassian.com/o/org-1/groups/0f1e2d3c-aaaa-bbbb-cccc-111122223333', { host: 'admin.atlassian.com', group: '0f1e2d3c-aaaa-bbbb-cccc-111122223333' }],
    ['https://admin.atlassian.com/s/cloud-1/groups/abc/', { host: 'admin.atlassian.com', group: 'abc' }],
    ['https://acme.atlassian.net/wiki/admin/users/domembersofgroupsearch.action?membersOfGroupTerm=confluence-users', { host: 'acme.atlassian.net', group: 'confluence-users' }],
    ['https://admin.atlassian.com/o/org-1/groups', null],
    ['https://admin.atlassian.com/o/org-1/users/5b10ac8d82e05b22cc7d4ef5', null],
    ['https://acme.atlassian.net/wiki/admin/users/domembersofgroupsearch.action', null],
    ['http://admin.atlassian.com/o/org-1/groups/abc', null],
    ['https://evil.example/o/org-1/groups/abc', null],
    ['https://admin.atlassian.com/o/org-1/groups/%E0%A4%A', null],
  ];
  it.each(cases)('%s', (url, expected) => expect(groupFromUrl(url)).toEqual(expected));
});

describe('accountIdFromLink', () => {
  it('only links to people of the page\'s own host', () => {
    expect(accountIdFromLink(`https://acme.atlassian.net/wiki/people/${HEX}?ref=confluence`, 'ACME.atlassian.net')).toBe(HEX);
    expect(accountIdFromLink(`https://other.atlassian.net/wiki/people/${HEX}`, 'acme.atlassian.net')).toBeNull();
    expect(accountIdFromLink(`https://admin.atlassian.com/o/x/users/${UUID}`, 'admin.atlassian.com')).toBe(UUID);
  });

  it('reads a link as written on the page, relative to the page (the badges give it the raw href)', () => {
    const page = 'https://acme.atlassian.net/wiki/spaces/ENG/pages/1/Team';
    expect(accountIdFromLink(`/wiki/people/${HEX}`, 'acme.atlassian.net', page)).toBe(HEX);
    expect(accountIdFromLink(`//acme.atlassian.net/wiki/people/${encodeURIComponent(UUID)}?ref=x`, 'acme.atlassian.net', page)).toBe(UUID);
    expect(accountIdFromLink(`../../../../people/${HEX}`, 'acme.atlassian.net', page)).toBe(HEX);
    // The URL parser reads a backslash as a slash in https URLs; the quick test before parsing must too.
    expect(accountIdFromLink(`\\wiki\\people\\${HEX}`, 'acme.atlassian.net', page)).toBe(HEX);
    expect(accountIdFromLink(`https://other.atlassian.net/wiki/people/${HEX}`, 'acme.atlassian.net', page)).toBeNull();
    expect(accountIdFromLink('/wiki/spaces/ENG/overview', 'acme.atlassian.net', page)).toBeNull();
    expect(accountIdFromLink('javascript:alert(1)//people/x', 'acme.atlassian.net', page)).toBeNull();
    expect(accountIdFromLink('http://[not a url', 'acme.atlassian.net', page)).toBeNull();
  });

  it('resolves a bare relative link on a page whose own path leads to people', () => {
    // `<a href="5b10…">` on /wiki/people/ reaches /wiki/people/5b10…, though the href has no segment.
    expect(accountIdFromLink(HEX, 'acme.atlassian.net', 'https://acme.atlassian.net/wiki/people/')).toBe(HEX);
    expect(accountIdFromLink(HEX, 'acme.atlassian.net', 'https://acme.atlassian.net/wiki/spaces/')).toBeNull();
  });

  it('skips no link the URL parser would read as a person path', () => {
    const page = 'https://acme.atlassian.net/wiki/home';
    // Relative to /wiki/: no slash before the segment, a leading space, a line break inside it.
    expect(accountIdFromLink(`people/${HEX}`, 'acme.atlassian.net', page)).toBe(HEX);
    expect(accountIdFromLink(` people/${HEX}`, 'acme.atlassian.net', page)).toBe(HEX);
    expect(accountIdFromLink(`/wiki/peo\nple/${HEX}`, 'acme.atlassian.net', page)).toBe(HEX);
    expect(accountIdFromLink(`\t/wiki/PEOPLE/${HEX}`, 'acme.atlassian.net', page)).toBeNull();
    expect(accountIdFromLink(`mypeople/${HEX}`, 'acme.atlassian.net', page)).toBeNull();
  });
});
