import { vi } from 'vitest';
import { resetSession } from '../src/browser/session';

export { answerWith, bodies } from './fetch-stub';

// Listeners added by earlier copies of the modules: removed so each test is a fresh page.
const added: Array<[EventTarget, string, EventListenerOrEventListenerObject]> = [];
for (const target of [window, document]) {
  const add = target.addEventListener.bind(target);
  target.addEventListener = (type: string, listener: EventListenerOrEventListenerObject, options?: unknown) => {
    added.push([target, type, listener]);
    add(type, listener, options as AddEventListenerOptions);
  };
}

/**
 * A new page: a new session (src/browser/session.ts: outbox, consent, debug, memory storage),
 * the listeners of the last page removed, and a sendBeacon stub. Storage and cookies are
 * cleared, unless `keepStorage` (the same visitor reloading the page). `reloadModules` also
 * loads fresh copies of the modules, for tests that import the script-tag entry, whose import
 * runs it.
 */
export async function freshSdk({ keepStorage = false, reloadModules = false } = {}) {
  for (const [target, type, listener] of added.splice(0)) target.removeEventListener(type, listener);
  resetSession();
  if (reloadModules) vi.resetModules();
  if (!keepStorage) {
    localStorage.clear();
    for (const cookie of document.cookie.split('; ')) {
      const name = cookie.split('=')[0];
      for (const domain of ['', ';domain=' + location.hostname.split('.').slice(-2).join('.')])
        document.cookie = name + '=;path=/;expires=Thu, 01 Jan 1970 00:00:00 GMT' + domain;
    }
  }
  const beacon = vi.fn((_url: string, _data?: BodyInit | null) => true);
  Object.defineProperty(navigator, 'sendBeacon', { value: beacon, configurable: true });
  return { sdk: await import('../src/index'), beacon };
}

/** Lets pending promise callbacks (fetch answers, JSON parsing) run. */
export const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
};

export const config = { url: 'https://bp.shop.com', market: 'demo' };
export const conversion = { customer_email: 'jane@smith.com', order_number: 'ORDER123', order_value: 12.5 };
