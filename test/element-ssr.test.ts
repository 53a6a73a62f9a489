// @vitest-environment node
// buyapowa-sdk/element on a server: importing it defines nothing and throws nothing.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

describe('buyapowa-sdk/element on the server', () => {
  it('imports without HTMLElement or customElements, from the sources and the built files', async () => {
    expect(typeof HTMLElement).toBe('undefined');
    expect(typeof customElements).toBe('undefined');
    const source = await import('../src/element');
    expect(source.TAG_NAME).toBe('buyapowa-refer-a-friend');
    expect(typeof source.BuyapowaReferAFriendElement).toBe('function');
    // npm run build: the files a server bundle would load, ESM and CJS.
    const esm = await import(new URL('../dist/element.js', import.meta.url).href);
    const cjs = createRequire(import.meta.url)('../dist/element.cjs');
    for (const built of [esm, cjs]) expect(built.TAG_NAME).toBe('buyapowa-refer-a-friend');
  });
});
