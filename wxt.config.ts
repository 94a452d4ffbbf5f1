import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { EXTENSION_PUBLIC_KEY, FIREFOX_EXTENSION_ID } from './lib/extension-identity';

// https://wxt.dev/api/config.html
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  manifest: ({ browser }) => ({
    name: 'Access Lens',
    description: 'Review who has access to your Confluence Cloud site. Read-only; nothing leaves your browser.',
    permissions: ['identity', 'alarms'],
    host_permissions: [
      'https://auth.atlassian.com/*',
      'https://api.atlassian.com/*',
      'https://*.atlassian.net/*',
      'https://admin.atlassian.com/*',
    ],
    action: { default_title: 'Access Lens' },
    // The key pins the Chrome extension id, and with it the OAuth callback URL
    // https://<id>.chromiumapp.org/ that the admin registers in Atlassian's console.
    ...(browser !== 'firefox' && { key: EXTENSION_PUBLIC_KEY }),
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: { id: FIREFOX_EXTENSION_ID, data_collection_permissions: { required: ['none'] } },
      },
    }),
  }),
  // ACCESS_LENS_NO_MINIFY=1: readable function names in CPU profiles (BENCH_CPU_PROFILE).
  vite: () => ({ plugins: [preact()], ...(process.env.ACCESS_LENS_NO_MINIFY && { build: { minify: false } }) }),
});
