/**
 * Public half of the key that fixes the Chrome extension id. The private key is not needed for
 * loading unpacked or for the OAuth callback; the Chrome Web Store signs published builds itself.
 * id = first 32 hex chars of sha256(DER public key), mapped 0-f -> a-p.
 */
export const EXTENSION_PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuvozDjm0934S/8l7qUZHz3X6XrIRErMAboCkzGbtTxWR39oy/OAKRnx4i5nMhAPvtC3yrDstMF05cb2/c3bqW6mgPk+JFqt28I+21lABU0dyfsITLdnIVHCcSRcrCM1z7olTYTqpZYtQJNSi4SSruod7LgtnUeoT+WjvREJMRVyVVTP5KS1h7qQko6aKm9sM5epvDQErkzBn+c9gJ4yhLLJAfPTxbOZ6puvqGnQFYXVl+6uuK/c/gVo0++NLUFYCDSJE0Si15EzedE14HieXUcbJj3GQcpH65q41sV0Huh4iGWLVA2Jz5DKesCUpaibZ+39cNu0Njf+pZDlvvmSs/QIDAQAB';

/** The Chrome extension id that EXTENSION_PUBLIC_KEY yields. */
export const EXTENSION_ID = 'poaokbhmjpleenafkjpmagkbbkbbilfk';

/** Atlassian OAuth callback URL to register in the developer console (Chrome). */
export const OAUTH_CALLBACK_URL = `https://${EXTENSION_ID}.chromiumapp.org/`;

export const FIREFOX_EXTENSION_ID = 'access-lens@access-lens.dev';
