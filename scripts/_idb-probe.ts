import { launchExtension } from '../test/support/launch';
const ext = await launchExtension({ hostResolverRules: 'MAP nothing.invalid 127.0.0.1' });
const w = await ext.serviceWorker();
await w.evaluate('globalThis.__name = (f) => f');
const r = await w.evaluate(async () => {
  const open = () => new Promise<IDBDatabase>((res, rej) => { const q = indexedDB.open('probe', 1); q.onupgradeneeded = () => { q.result.createObjectStore('s', { keyPath: ['a', 'b'] }); q.result.createObjectStore('r', { keyPath: 'id' }); }; q.onsuccess = () => res(q.result); q.onerror = () => rej(q.error); });
  const db = await open();
  const ops = [{ operation: 'use', targetType: 'application' }, { operation: 'create', targetType: 'page' }, { operation: 'update', targetType: 'page' }, { operation: 'delete', targetType: 'page' }, { operation: 'create', targetType: 'blogpost' }];
  const rec = (i: number) => ({ a: 'snap', b: `557058:${i.toString(16).padStart(8, '0')}-aaaa-bbbb-cccc-${(i * 7919).toString(16).padStart(12, '0')}`, member: { accountId: `x${i}`, accountType: 'atlassian', email: `person${i}@acme.test`, publicName: `Person ${i}`, displayName: `Person ${i}`, isGuest: false, isExternalCollaborator: false, operations: ops }, groups: [{ id: 'g-1234-5678', name: 'confluence-users' }] });
  const done = (tx: IDBTransaction) => new Promise<void>((res, rej) => { tx.oncomplete = () => res(); tx.onerror = () => rej(tx.error); tx.onabort = () => rej(tx.error); });
  const req = <T,>(q: IDBRequest<T>) => new Promise<T>((res, rej) => { q.onsuccess = () => res(q.result); q.onerror = () => rej(q.error); });
  async function page(from: number, n: number, withGets: boolean, durability: 'default' | 'relaxed' = 'default') {
    const tx = db.transaction(['s', 'r'], 'readwrite', { durability });
    const s = tx.objectStore('s');
    if (withGets) await Promise.all(Array.from({ length: n }, (_, i) => req(s.get(['snap', rec(from + i).b]))));
    for (let i = 0; i < n; i++) s.put(rec(from + i));
    const rr = tx.objectStore('r'); await req(rr.get('run')); rr.put({ id: 'run', groups: Array.from({ length: 100 }, (_, g) => ({ id: `g${g}`, name: `group ${g}`, members: 0, done: false })) });
    await done(tx);
  }
  const out: Record<string, number> = {};
  let base = 0;
  const time = async (name: string, fn: () => Promise<void>) => { const t = performance.now(); await fn(); out[name] = Math.round(performance.now() - t); };
  await time('50 seq tx × 200 get+put', async () => { for (let k = 0; k < 50; k++) await page(base + k * 200, 200, true); }); base += 10000;
  await time('50 seq tx × 200 put only', async () => { for (let k = 0; k < 50; k++) await page(base + k * 200, 200, false); }); base += 10000;
  await time('50 seq tx × 200 get+put relaxed', async () => { for (let k = 0; k < 50; k++) await page(base + k * 200, 200, true, 'relaxed'); }); base += 10000;
  await time('4 concurrent × 12 tx × 200 get+put', async () => { await Promise.all([0, 1, 2, 3].map(async (l) => { for (let k = 0; k < 12; k++) await page(base + (l * 12 + k) * 200, 200, true); })); }); base += 10000;
  await time('10 seq tx × 1000 get+put', async () => { for (let k = 0; k < 10; k++) await page(base + k * 1000, 1000, true); }); base += 10000;
  await time('10 seq tx × 1000 put only', async () => { for (let k = 0; k < 10; k++) await page(base + k * 1000, 1000, false); }); base += 10000;
  const big = (i: number) => ({ ...rec(i), extra: Array.from({ length: 10 }, (_, k) => rec(i * 100 + k).member) });
  await time('10 seq tx × 1000 put only BIG (10x)', async () => { for (let k = 0; k < 10; k++) { const tx = db.transaction(['s'], 'readwrite'); const s = tx.objectStore('s'); for (let i = 0; i < 1000; i++) s.put(big(base + k * 1000 + i)); await done(tx); } }); base += 10000;
  await time('10 seq tx × 1000 put only tiny', async () => { for (let k = 0; k < 10; k++) { const tx = db.transaction(['s'], 'readwrite'); const s = tx.objectStore('s'); for (let i = 0; i < 1000; i++) s.put({ a: 'snap', b: rec(base + k * 1000 + i).b }); await done(tx); } }); base += 10000;
  await time('structuredClone 10000 recs', async () => { for (let i = 0; i < 10000; i++) structuredClone(rec(i)); });
  await time('50 seq empty tx', async () => { for (let k = 0; k < 50; k++) await page(0, 0, false); });
  await time('getAll 10000', async () => { const tx = db.transaction('s'); await req(tx.objectStore('s').getAll(IDBKeyRange.bound(['snap', ''], ['snap', '\uffff']), 10000)); });
  return out;
});
console.log(r);
await ext.close();
