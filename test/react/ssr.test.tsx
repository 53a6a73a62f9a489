// @vitest-environment node
// Server-side rendering: renderToString in Node renders the empty container (and the hidden
// fallback), embeds nothing and never touches window or document. The built entry (npm run
// build) starts with 'use client' in both formats, so Next.js treats it as a client module.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createElement, type ComponentType } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const touched: string[] = [];

beforeEach(() => {
  touched.length = 0;
  // window and document do not exist here; reading either (even `typeof window`) is recorded.
  for (const name of ['window', 'document'])
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get: () => {
        touched.push(name);
        return undefined;
      },
    });
});
afterEach(() => {
  delete (globalThis as { window?: unknown }).window;
  delete (globalThis as { document?: unknown }).document;
});

type ReactEntry = typeof import('../../src/react');

/** Renders a page with every export of `buyapowa-sdk/react`, as a server would. */
function renderPage({ BuyapowaProvider, ReferAFriend, useReferralCapture, useTrack }: ReactEntry): string {
  function Page() {
    useReferralCapture('/refer');
    useTrack();
    return createElement(ReferAFriend, {
      campaign: 'refer-a-friend',
      locale: 'en',
      className: 'raf',
      login: { name: 'Jane Doe', email: 'jane@doe.com', signed_keys: 'name, email', signature: 'abc' },
      fallback: createElement('p', null, 'Could not load the campaign'),
    });
  }
  return renderToString(createElement(BuyapowaProvider, { config: { url: 'https://bp.shop.com', market: 'demo' } }, createElement(Page as ComponentType)));
}

describe('buyapowa-sdk/react on the server', () => {
  it('renders only the container and the hidden fallback, without touching window or document', async () => {
    const html = renderPage(await import('../../src/react'));
    expect(html).toBe('<div class="raf"><div></div><div hidden=""><p>Could not load the campaign</p></div></div>');
    expect(html).not.toMatch(/jane|iframe/i);
    expect(touched).toEqual([]);
  });

  it('renders the same from the built ESM and CJS files, which start with "use client"', async () => {
    const esm = readFileSync(new URL('dist/react.js', root), 'utf8');
    const cjs = readFileSync(new URL('dist/react.cjs', root), 'utf8');
    expect(esm.startsWith("'use client';\n")).toBe(true);
    expect(cjs.startsWith("'use client';\n")).toBe(true);
    // Only the entry is the client boundary; the other entries are not client modules.
    expect(readFileSync(new URL('dist/index.js', root), 'utf8')).not.toContain('use client');
    const built = [(await import(new URL('dist/react.js', root).href)) as ReactEntry, createRequire(import.meta.url)('../../dist/react.cjs') as ReactEntry];
    for (const entry of built) expect(renderPage(entry)).toContain('<div class="raf"><div></div><div hidden="">');
    expect(touched).toEqual([]);
  });
});
