import fs from 'node:fs';
import { launchExtension } from '../test/support/launch';
const ext = await launchExtension({ hostResolverRules: 'MAP nothing 127.0.0.1' });
const w = await ext.serviceWorker();
const res = await w.evaluate(`(${fs.readFileSync('/tmp/sp/idbworker.js', 'utf8')})()`);
console.log(JSON.stringify(res, null, 1));
await ext.close();
