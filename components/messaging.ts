/**
 * The pages' only channel to the background (lib/messages.ts). The transport is injectable so
 * unit tests can answer requests without a browser.
 */
import { browser } from 'wxt/browser';
import { isError, type Broadcast, type Request, type RequestType, type ResponseMap } from '@/lib/messages';
import type { GrantedSite } from '@/lib/model';

export type Transport = (req: Request) => Promise<unknown>;
export type BroadcastSource = (listener: (message: unknown) => void) => () => void;

const runtimeTransport: Transport = (req) => browser.runtime.sendMessage(req);

const runtimeBroadcasts: BroadcastSource = (listener) => {
  const wrapped = (message: unknown) => {
    listener(message);
    // Not answering: returning undefined lets the background's own listener respond to requests.
    return undefined;
  };
  browser.runtime.onMessage.addListener(wrapped);
  return () => browser.runtime.onMessage.removeListener(wrapped);
};

let transport: Transport = runtimeTransport;
let broadcastSource: BroadcastSource = runtimeBroadcasts;

/** Replace the transport (tests). Pass nothing to restore the runtime one. */
export function setTransport(next?: Transport): void {
  transport = next ?? runtimeTransport;
}

/** Replace where broadcasts come from (tests). Pass nothing to restore the runtime one. */
export function setBroadcastSource(next?: BroadcastSource): void {
  broadcastSource = next ?? runtimeBroadcasts;
}

/** An `{ error }` answer from the background, with granted sites for wrong-organisation grants. */
export class BackgroundError extends Error {
  constructor(
    message: string,
    readonly grantedSites: GrantedSite[] = [],
  ) {
    super(message);
    this.name = 'BackgroundError';
  }
}

export async function send<T extends RequestType>(req: Extract<Request, { type: T }>): Promise<ResponseMap[T]> {
  const answer = await transport(req);
  if (answer === undefined || answer === null) {
    throw new BackgroundError('The extension background did not answer. Reload the page and try again.');
  }
  if (isError(answer)) throw new BackgroundError(answer.error, answer.grantedSites ?? []);
  return answer as ResponseMap[T];
}

export function isBroadcast(message: unknown): message is Broadcast {
  if (typeof message !== 'object' || message === null) return false;
  const type = (message as { type?: unknown }).type;
  return type === 'syncProgress' || type === 'activityProgress' || type === 'stateChanged' || type === 'panelFocus';
}

export function onBroadcast(cb: (b: Broadcast) => void): () => void {
  return broadcastSource((message) => {
    if (isBroadcast(message)) cb(message);
  });
}

/** The text to show for any thrown value. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
