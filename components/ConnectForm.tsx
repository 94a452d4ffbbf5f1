import type { GrantedSite } from '@/lib/model';
import { useState } from 'preact/hooks';
import { SCOPED_TOKEN_SCOPES } from '@/lib/atlassian/endpoints';
import { BackgroundError, errorText, send } from './messaging';
import { CopyText } from './CopyText';

interface ConnectFailure {
  message: string;
  grantedSites: GrantedSite[];
}

/**
 * Connect a site with OAuth (client id + secret) or an API token. Secrets live only in this
 * form's state until they are sent once; they are cleared after a successful connect.
 */
export function ConnectForm({
  callbackUrl,
  onConnected,
  initialSite = '',
}: {
  callbackUrl: string;
  onConnected: (site: string) => void;
  /** Prefills the site (the popup's "Reconnect"). */
  initialSite?: string;
}) {
  const [siteUrl, setSiteUrl] = useState(initialSite);
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [email, setEmail] = useState('');
  const [apiToken, setApiToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ConnectFailure | null>(null);
  const [connected, setConnected] = useState<string | null>(null);

  async function connect(kind: 'oauth' | 'apiToken') {
    setConnected(null);
    const missing =
      kind === 'oauth'
        ? [['Site URL', siteUrl], ['Client ID', clientId], ['Client secret', clientSecret]]
        : [['Site URL', siteUrl], ['Email', email], ['API token', apiToken]];
    const empty = missing.filter(([, v]) => !v?.trim()).map(([name]) => name);
    if (empty.length > 0) {
      setFailure({ message: `Fill in: ${empty.join(', ')}`, grantedSites: [] });
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const answer =
        kind === 'oauth'
          ? await send({ type: 'connectOAuth', siteUrl: siteUrl.trim(), clientId: clientId.trim(), clientSecret: clientSecret.trim() })
          : await send({ type: 'connectApiToken', siteUrl: siteUrl.trim(), email: email.trim(), apiToken: apiToken.trim() });
      setClientSecret('');
      setApiToken('');
      setConnected(answer.site);
      onConnected(answer.site);
    } catch (e) {
      setFailure({ message: errorText(e), grantedSites: e instanceof BackgroundError ? e.grantedSites : [] });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      aria-label="Connect a site"
      onSubmit={(e) => {
        // Each method has its own button; Enter alone must not pick one at random.
        e.preventDefault();
      }}
    >
      <label for="connect-site">Site URL</label>
      <input
        id="connect-site"
        type="url"
        placeholder="https://your-site.atlassian.net"
        autocomplete="url"
        value={siteUrl}
        onInput={(e) => setSiteUrl(e.currentTarget.value)}
      />
      <div class="grid">
        <fieldset>
          <legend>OAuth app (recommended)</legend>
          <p class="muted">
            Register this callback URL in your Atlassian developer console app:
          </p>
          <CopyText text={callbackUrl} label="Copy callback URL" />
          <label for="connect-client-id">Client ID</label>
          <input id="connect-client-id" type="text" autocomplete="off" spellcheck={false} value={clientId} onInput={(e) => setClientId(e.currentTarget.value)} />
          <label for="connect-client-secret">Client secret</label>
          {/* A masked text box rather than type=password, so the field stays a textbox for
              assistive technology and browsers do not offer to save it as a site password. */}
          <input
            id="connect-client-secret"
            class="secret"
            type="text"
            autocomplete="off"
            spellcheck={false}
            value={clientSecret}
            onInput={(e) => setClientSecret(e.currentTarget.value)}
          />
          <div class="row">
            <button type="button" class="primary" disabled={busy} onClick={() => connect('oauth')}>
              Connect with Atlassian
            </button>
          </div>
        </fieldset>
        <fieldset>
          <legend>API token</legend>
          <p class="muted" data-testid="scoped-token-help">
            A classic API token, or a scoped one (the only kind a service account can have). Access Lens tries your site
            first and then api.atlassian.com, where scoped tokens work, and says which one it connected with. A scoped
            token needs these read-only scopes:{' '}
            {SCOPED_TOKEN_SCOPES.required.map((scope, i) => (
              <span key={scope}>
                {i > 0 && ', '}
                <code>{scope}</code>
              </span>
            ))}
            ; and, to fill in emails Confluence hides, Jira's{' '}
            {SCOPED_TOKEN_SCOPES.jira.map((scope, i) => (
              <span key={scope}>
                {i > 0 && ', '}
                <code>{scope}</code>
              </span>
            ))}
            .
          </p>
          <label for="connect-email">Email</label>
          <input id="connect-email" type="email" autocomplete="off" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          <label for="connect-api-token">API token</label>
          <input
            id="connect-api-token"
            class="secret"
            type="text"
            autocomplete="off"
            spellcheck={false}
            value={apiToken}
            onInput={(e) => setApiToken(e.currentTarget.value)}
          />
          <div class="row">
            <button type="button" disabled={busy} onClick={() => connect('apiToken')}>
              Connect with API token
            </button>
          </div>
        </fieldset>
      </div>
      {busy && <p role="status">Connecting…</p>}
      {connected && (
        <p class="ok" role="status">
          Connected {connected}
        </p>
      )}
      {failure && (
        <div role="alert">
          <p class="error">{failure.message}</p>
          {failure.grantedSites.length > 0 && (
            <>
              <p>The authorisation granted access to these sites only:</p>
              <ul data-testid="granted-sites">
                {failure.grantedSites.map((s) => (
                  <li key={s.url}>
                    {s.name} — {s.url}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </form>
  );
}
