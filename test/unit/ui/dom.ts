/**
 * Tiny DOM query helpers for UI tests (no @testing-library here): find controls by the same
 * accessible names users and e2e tests rely on — <label>, aria-label, aria-labelledby or text.
 */
import { render, type ComponentChild } from 'preact';
import { act } from 'preact/test-utils';
import { vi } from 'vitest';
import type { Request, RequestType } from '@/lib/messages';
import { setBroadcastSource, setTransport } from '@/components/messaging';

const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

export function accessibleName(el: Element): string {
  const aria = el.getAttribute('aria-label');
  if (aria) return norm(aria);
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) {
    return norm(labelledBy.split(/\s+/).map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '').join(' '));
  }
  if (el.id) {
    const label = el.ownerDocument.querySelector(`label[for="${CSS.escape(el.id)}"]`);
    if (label) return norm(label.textContent);
  }
  const wrapping = el.closest('label');
  if (wrapping) return norm(wrapping.textContent);
  if (el instanceof HTMLButtonElement || el instanceof HTMLAnchorElement) return norm(el.textContent);
  return '';
}

const ROLE_SELECTORS = {
  button: 'button, input[type="button"], input[type="submit"]',
  textbox: 'input:not([type]), input[type="text"], input[type="url"], input[type="email"], input[type="search"], textarea',
  checkbox: 'input[type="checkbox"]',
  combobox: 'select',
  spinbutton: 'input[type="number"]',
  file: 'input[type="file"]',
  link: 'a[href]',
} as const;
export type Role = keyof typeof ROLE_SELECTORS;

export function queryAllByRole(root: ParentNode, role: Role, name?: string): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(ROLE_SELECTORS[role])].filter(
    (el) => name === undefined || accessibleName(el) === name,
  );
}

export function queryByRole(root: ParentNode, role: Role, name: string): HTMLElement | null {
  const found = queryAllByRole(root, role, name);
  if (found.length > 1) throw new Error(`${found.length} ${role}s named "${name}"`);
  return found[0] ?? null;
}

export function getByRole<E extends HTMLElement = HTMLElement>(root: ParentNode, role: Role, name: string): E {
  const el = queryByRole(root, role, name);
  if (!el) {
    const names = queryAllByRole(root, role).map(accessibleName);
    throw new Error(`No ${role} named "${name}". Found: ${JSON.stringify(names)}`);
  }
  return el as E;
}

export function text(root: Element): string {
  return norm(root.textContent);
}

/** Lets promises, effects and re-renders settle. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

export async function click(el: HTMLElement): Promise<void> {
  await act(async () => {
    el.click();
  });
  await settle();
}

export async function typeInto(el: HTMLElement, value: string): Promise<void> {
  await act(async () => {
    (el as HTMLInputElement).value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await settle();
}

export async function choose(el: HTMLElement, value: string): Promise<void> {
  await act(async () => {
    (el as HTMLSelectElement).value = value;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle();
}

export async function pickFile(el: HTMLElement, file: File): Promise<void> {
  await act(async () => {
    Object.defineProperty(el, 'files', { value: [file], configurable: true });
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle();
}

export async function mount(ui: ComponentChild): Promise<HTMLElement> {
  document.body.innerHTML = '<div id="app"></div>';
  const root = document.getElementById('app')!;
  await act(async () => {
    render(ui, root);
  });
  await settle();
  return root;
}

export async function unmount(root: HTMLElement): Promise<void> {
  await act(async () => {
    render(null, root);
  });
}

type Handler<T extends RequestType> = (req: Extract<Request, { type: T }>) => unknown;
export type Handlers = { [T in RequestType]?: Handler<T> | unknown };

/**
 * A fake background: answers each request type from `handlers` (a value, or a function of the
 * request) and records every request. Unknown types answer `{ error }`, as the real one does.
 */
export function fakeBackground(handlers: Handlers) {
  const requests: Request[] = [];
  // Like runtime.onMessage: every page part that listens hears every broadcast.
  const broadcastListeners = new Set<(m: unknown) => void>();
  setTransport(async (req) => {
    requests.push(req);
    const h = (handlers as Record<string, unknown>)[req.type];
    if (h === undefined) return { error: `unexpected ${req.type}` };
    return typeof h === 'function' ? await (h as (r: Request) => unknown)(req) : structuredClone(h);
  });
  setBroadcastSource((listener) => {
    broadcastListeners.add(listener);
    return () => {
      broadcastListeners.delete(listener);
    };
  });
  return {
    requests,
    handlers,
    of<T extends RequestType>(type: T): Extract<Request, { type: T }>[] {
      return requests.filter((r): r is Extract<Request, { type: T }> => r.type === type);
    },
    async broadcast(message: unknown) {
      await act(async () => {
        for (const listener of [...broadcastListeners]) listener(message);
      });
      await settle();
    },
  };
}

export function resetFakes(): void {
  setTransport();
  setBroadcastSource();
  vi.restoreAllMocks();
}
