import { afterEach, describe, expect, it } from 'vitest';
import { BackgroundError, onBroadcast, send, setBroadcastSource, setTransport } from '@/components/messaging';

afterEach(() => {
  setTransport();
  setBroadcastSource();
});

describe('send', () => {
  it('passes the request to the transport and returns the answer', async () => {
    const seen: unknown[] = [];
    setTransport(async (req) => {
      seen.push(req);
      return { started: ['https://acme.atlassian.net'] };
    });
    await expect(send({ type: 'syncNow', site: 'https://acme.atlassian.net' })).resolves.toEqual({
      started: ['https://acme.atlassian.net'],
    });
    expect(seen).toEqual([{ type: 'syncNow', site: 'https://acme.atlassian.net' }]);
  });

  it('throws the error text, keeping granted sites', async () => {
    setTransport(async () => ({ error: 'Wrong organisation', grantedSites: [{ url: 'https://other.atlassian.net', name: 'other' }] }));
    const failure = await send({ type: 'getState' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BackgroundError);
    expect((failure as BackgroundError).message).toBe('Wrong organisation');
    expect((failure as BackgroundError).grantedSites).toEqual([{ url: 'https://other.atlassian.net', name: 'other' }]);
  });

  it('treats no answer as an error', async () => {
    setTransport(async () => undefined);
    await expect(send({ type: 'getState' })).rejects.toThrow(/did not answer/);
  });
});

describe('onBroadcast', () => {
  it('delivers only broadcast messages and stops after unsubscribe', () => {
    let emit: (m: unknown) => void = () => {};
    let removed = false;
    setBroadcastSource((listener) => {
      emit = listener;
      return () => {
        removed = true;
      };
    });
    const got: unknown[] = [];
    const stop = onBroadcast((b) => got.push(b));
    emit({ type: 'getState' });
    emit('noise');
    emit({ type: 'stateChanged', site: null });
    stop();
    expect(got).toEqual([{ type: 'stateChanged', site: null }]);
    expect(removed).toBe(true);
  });
});
