/**
 * Turn whatever the user pasted (a site name, a host, any page URL on the site) into the canonical
 * site URL `https://<name>.atlassian.net` (model.ts `SiteUrl`).
 *
 * Decisions:
 * - `http://` is upgraded to `https://`: Atlassian Cloud sites are served only over https, so an
 *   http URL can only mean the same site. Any other scheme is rejected.
 * - Only `<name>.atlassian.net` is accepted. Legacy `*.jira.com` hosts and custom domains are
 *   rejected: the REST APIs this product uses are addressed by the atlassian.net site or its
 *   cloudId (atlassian-api.md §1.5, §1.6), and the host is also what Basic auth is sent to, so we
 *   never send credentials to a host we cannot vouch for.
 * - Atlassian's own non-site hosts (admin., id., api., auth. …) are not sites and are rejected.
 */

export type NormalisedSite = { ok: true; site: string; name: string } | { ok: false; error: string };

/** Site names are DNS labels: letters, digits and inner hyphens. */
const SITE_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** atlassian.net hosts that belong to Atlassian itself rather than to a customer site. */
const RESERVED_NAMES = new Set(['www', 'api', 'auth', 'id', 'admin', 'start', 'developer', 'status']);

export function normaliseSiteUrl(input: string): NormalisedSite {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, error: 'Enter your Confluence site, e.g. acme.atlassian.net.' };

  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, error: `"${trimmed}" is not a site address. Use the form acme.atlassian.net.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: `Only https site addresses are supported (got ${url.protocol.replace(':', '')}).` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, error: 'The site address must not contain a user name or password.' };
  }
  if (url.port !== '' && url.port !== '443' && url.port !== '80') {
    return { ok: false, error: 'The site address must not contain a port.' };
  }

  // URL already lower-cases the host; a trailing dot (FQDN form) is the same host.
  let host = url.hostname.replace(/\.$/, '');
  if (!host.includes('.')) host = `${host}.atlassian.net`; // a bare site name: "acme"

  if (host.endsWith('.jira.com') || host === 'jira.com') {
    return {
      ok: false,
      error: `${host} is a legacy jira.com address. Use the site's atlassian.net address instead (it is shown in Atlassian administration under Products).`,
    };
  }
  const suffix = '.atlassian.net';
  if (!host.endsWith(suffix)) {
    return {
      ok: false,
      error: `${host} is not an Atlassian Cloud site. Use the address ending in .atlassian.net, e.g. acme.atlassian.net.`,
    };
  }
  const name = host.slice(0, -suffix.length);
  if (!SITE_LABEL.test(name)) {
    return { ok: false, error: `${host} is not a valid Atlassian Cloud site name.` };
  }
  if (RESERVED_NAMES.has(name)) {
    return { ok: false, error: `${host} is an Atlassian service, not your site. Use your site's address, e.g. acme.atlassian.net.` };
  }
  return { ok: true, site: `https://${name}${suffix}`, name };
}
