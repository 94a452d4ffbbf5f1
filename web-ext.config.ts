import { defineWebExtConfig } from 'wxt';

// `wxt` (dev) must not try to open a browser on machines without a display.
export default defineWebExtConfig({ disabled: true });
