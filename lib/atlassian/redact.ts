/**
 * Keeping credentials out of error messages. Every message the client builds may be stored (the
 * connection's last error, the sync history) and shown, so a body or an exception that echoes a
 * credential back must lose it — in whatever form it was echoed:
 * - the secret itself (an API token, an access or refresh token, a client secret);
 * - the Basic auth value `base64(email:token)` (standard and URL-safe alphabets, with or without
 *   padding), since a proxy or a log line may quote the Authorization header;
 * - URL-encoded (percent-encoded, and form-encoded with `+` for spaces) forms of each, since a
 *   query string or a form body may be quoted.
 * Pure; the same function serves the HTTP client and the OAuth token endpoint.
 */

export const REDACTED = '[redacted]';

/** Shorter strings are too likely to occur by chance in a message to be worth replacing. */
const MIN_SECRET_LENGTH = 4;

/** `btoa` only takes Latin-1; e-mail addresses and tokens may not be. */
export function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function base64Forms(value: string): string[] {
  const standard = base64Utf8(value);
  const unpadded = standard.replace(/=+$/, '');
  const urlSafe = unpadded.replace(/\+/g, '-').replace(/\//g, '_');
  return [standard, unpadded, urlSafe];
}

function urlEncodedForms(value: string): string[] {
  const percent = encodeURIComponent(value);
  return [percent, percent.replace(/%20/g, '+'), percent.toLowerCase()];
}

/**
 * The strings to look for when redacting `secrets`, each with its URL-encoded forms. For API
 * tokens pass `basicAuthSecrets(email, token)` so the Basic value is found too.
 */
export function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of [secret, ...urlEncodedForms(secret)]) if (form.length >= MIN_SECRET_LENGTH) forms.add(form);
  }
  // Longest first, so a form that contains another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** The API token and the `base64(email:token)` Basic value in every alphabet. */
export function basicAuthSecrets(email: string, apiToken: string): string[] {
  return [apiToken, ...base64Forms(`${email}:${apiToken}`)];
}

/** The client secret, and `base64(clientId:clientSecret)` (HTTP Basic client authentication). */
export function clientSecrets(clientId: string, clientSecret: string): string[] {
  return [clientSecret, ...base64Forms(`${clientId}:${clientSecret}`)];
}

/** `text` with every form of every secret replaced by `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const form of secretForms(secrets)) {
    // A plain search for the percent-encoded forms would miss other letter cases of the hex digits.
    if (form.includes('%')) out = out.replace(new RegExp(escapeRegExp(form), 'gi'), REDACTED);
    else out = out.split(form).join(REDACTED);
  }
  return out;
}

export function redactNullable(text: string | null, secrets: readonly string[]): string | null {
  return text === null ? null : redact(text, secrets);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
