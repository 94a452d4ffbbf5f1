import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../../lib/atlassian/limiter';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('createLimiter', () => {
  it('never runs more than n tasks at once and runs them all', async () => {
    const limiter = createLimiter(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await tick();
          running--;
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(limiter.active).toBe(0);
    expect(limiter.pending).toBe(0);
  });

  it('runReleasable: a task that gives its slot back lets the next one start while it goes on', async () => {
    const limiter = createLimiter(1);
    const order: string[] = [];
    let finishFirst!: () => void;
    const firstDone = new Promise<void>((r) => (finishFirst = r));
    const first = limiter.runReleasable(async (release) => {
      order.push('first starts');
      release();
      release(); // once only: a second call gives back nothing more
      await firstDone;
      order.push('first ends');
    });
    const second = limiter.run(async () => {
      order.push('second starts');
    });
    const third = limiter.run(async () => {
      order.push('third starts');
      await tick();
    });
    await Promise.all([second, third]);
    expect(order).toEqual(['first starts', 'second starts', 'third starts']);
    expect(limiter.active).toBe(0); // the first gave its slot back and a second release took nothing
    finishFirst();
    await first;
    expect(order.at(-1)).toBe('first ends');
    expect(limiter.active).toBe(0);
    expect(limiter.pending).toBe(0);
  });

  it('runReleasable: the slot comes back when the task ends without releasing it, or fails', async () => {
    const limiter = createLimiter(1);
    await limiter.runReleasable(async () => 'done');
    await expect(limiter.runReleasable(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(limiter.active).toBe(0);
    await expect(limiter.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('starts queued tasks in FIFO order', async () => {
    const limiter = createLimiter(1);
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((n) => limiter.run(async () => { order.push(n); await tick(); })));
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('releases the slot when a task fails', async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'ok')).resolves.toBe('ok');
    expect(limiter.active).toBe(0);
  });

  it('reports active and pending counts', async () => {
    const limiter = createLimiter(2);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const all = Promise.all([1, 2, 3, 4, 5].map(() => limiter.run(() => gate)));
    await tick();
    expect(limiter.active).toBe(2);
    expect(limiter.pending).toBe(3);
    release();
    await all;
    expect(limiter.active).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects concurrency %s', (n) => {
    expect(() => createLimiter(n)).toThrow(RangeError);
  });
});
