/**
 * Starts the fake from a terminal: `npm run fake -- --scenario demo [--port 8443] [--consent auto]
 * [--seed 1 --rate429 0.1 --latency 50]`. Prints the port, the Chromium flags and the credentials.
 */
import { parseArgs } from 'node:util';
import { generateOrganisation } from './generate';
import { loadScenario } from './scenario';
import { startFakeAtlassian } from './server';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'demo' },
    generate: { type: 'string' },
    port: { type: 'string', default: '0' },
    consent: { type: 'string', default: 'page' },
    seed: { type: 'string' },
    latency: { type: 'string' },
    rate429: { type: 'string' },
    rate503: { type: 'string' },
    rate500: { type: 'string' },
    rateDrop: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Usage: npm run fake -- [--scenario demo|path.json] [--generate <accounts>] [--port N] [--consent page|auto]
       [--seed N] [--latency ms] [--rate429 p] [--rate503 p] [--rate500 p] [--rateDrop p]`);
  process.exit(0);
}

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const scenario = values.generate
  ? generateOrganisation({ seed: num(values.seed) ?? 1, groups: 200, accounts: Number(values.generate) })
  : loadScenario(values.scenario);
if (values.consent !== 'page' && values.consent !== 'auto') throw new Error('--consent must be page or auto');

const fake = await startFakeAtlassian({
  scenario,
  port: Number(values.port),
  consent: values.consent,
  faults: {
    seed: num(values.seed),
    latencyMs: num(values.latency),
    rate429: num(values.rate429),
    rate503: num(values.rate503),
    rate500: num(values.rate500),
    rateDrop: num(values.rateDrop),
  },
});

console.log(`fake Atlassian (${scenario.name}) listening on https://127.0.0.1:${fake.port}`);
console.log(`port: ${fake.port}`);
console.log(`chromium flags: --host-resolver-rules="${fake.hostResolverRules}" --ignore-certificate-errors`);
for (const site of fake.state.scenario.sites) console.log(`site: https://${site.name}.atlassian.net  cloudId ${site.cloudId}  (${site.users.length} accounts, ${site.groups.length} groups)`);
for (const id of fake.state.scenario.identities) console.log(`identity: ${id.email}  api tokens: ${id.apiTokens.join(', ') || '-'}`);
for (const app of fake.state.scenario.oauthApps) console.log(`oauth app: client_id ${app.clientId}  client_secret ${app.clientSecret}  callback ${app.callbackUrls.join(' ')}`);

const stop = () => {
  void fake.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
