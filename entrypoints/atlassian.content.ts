export default defineContentScript({
  matches: ['https://*.atlassian.net/*', 'https://admin.atlassian.com/*'],
  main() {},
});
