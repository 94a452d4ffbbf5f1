import { describe, expect, it } from 'vitest';
import { createKeyedQueue } from '../../../lib/service/keyed-queue';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('createKeyedQueue', () => {
  it('runs one key’s jobs one at a time in order, other keys alongside, and past a failure', async () => {
    const q = createKeyedQueue();
    const log: string[] = [];
    const job = (name: string, fail = false) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      if (fail) throw new Error(name);
      return name;
    };
    const a1 = q.run('a', job('a1', true));
    const a2 = q.run('a', job('a2'));
    const b1 = q.run('b', job('b1'));
    await expect(a1).rejects.toThrow('a1');
    await expect(a2).resolves.toBe('a2');
    await expect(b1).resolves.toBe('b1');
    expect(log.indexOf('a2 start')).toBeGreaterThan(log.indexOf('a1 end'));
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
  });

  it('idle waits for jobs queued while it waits', async () => {
    const q = createKeyedQueue();
    let done = 0;
    void q.run('a', async () => {
      await tick();
      void q.run('b', async () => {
        await tick();
        done++;
      });
      done++;
    });
    await q.idle();
    expect(done).toBe(2);
  });
});
