import { describe, expect, it } from 'vitest';
import { normaliseSiteUrl } from '../../../lib/atlassian/site-url';

describe('normaliseSiteUrl', () => {
  it.each([
    ['acme', 'https://acme.atlassian.net', 'acme'],
    ['acme.atlassian.net', 'https://acme.atlassian.net', 'acme'],
    ['https://acme.atlassian.net', 'https://acme.atlassian.net', 'acme'],
    ['https://acme.atlassian.net/', 'https://acme.atlassian.net', 'acme'],
    ['https://acme.atlassian.net/wiki/spaces/X/pages/1/Title?x=1#y', 'https://acme.atlassian.net', 'acme'],
    ['  ACME.Atlassian.NET/  ', 'https://acme.atlassian.net', 'acme'],
    ['HTTPS://My-Site2.atlassian.net/wiki', 'https://my-site2.atlassian.net', 'my-site2'],
    ['http://acme.atlassian.net/wiki', 'https://acme.atlassian.net', 'acme'],
    ['acme.atlassian.net.', 'https://acme.atlassian.net', 'acme'],
    ['https://acme.atlassian.net:443/wiki', 'https://acme.atlassian.net', 'acme'],
  ])('accepts %j as %s', (input, site, name) => {
    expect(normaliseSiteUrl(input)).toEqual({ ok: true, site, name });
  });

  it.each([
    ['', /Enter your Confluence site/],
    ['   ', /Enter your Confluence site/],
    ['https://evil.com', /evil\.com is not an Atlassian Cloud site/],
    ['https://acme.atlassian.net.evil.com/', /not an Atlassian Cloud site/],
    ['evil.com/acme.atlassian.net', /evil\.com is not an Atlassian Cloud site/],
    ['acme.jira.com', /legacy jira\.com address/],
    ['https://acme.jira.com/browse/X-1', /legacy jira\.com address/],
    ['ftp://acme.atlassian.net', /Only https/],
    ['https://user:pw@acme.atlassian.net', /user name or password/],
    ['https://acme.atlassian.net:8443', /port/],
    ['a.b.atlassian.net', /not a valid Atlassian Cloud site name/],
    ['-acme.atlassian.net', /not a valid/],
    ['admin.atlassian.net', /Atlassian service, not your site/],
    ['https://api.atlassian.net', /Atlassian service/],
    ['atlassian.net', /not an Atlassian Cloud site|not a valid/],
  ])('rejects %j', (input, message) => {
    const result = normaliseSiteUrl(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});
