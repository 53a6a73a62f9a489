import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { answerWith, config, freshSdk } from './helpers';
import { serveChunks } from './loader/serve-chunks';

// The loader's chunks (track, embed) are served from their sources in jsdom.
let stopServing: () => void;
afterEach(() => stopServing());

// The async loader snippet of docs/script-tag.md, minus the script insertion.
function installStub() {
  const calls: unknown[][] = [];
  const Stub = function (this: Record<string, unknown>, ...args: unknown[]) {
    for (const m of ['embedReferAFriend', 'track', 'captureReferral']) this[m] = (...a: unknown[]) => calls.push([this, m, a]);
    calls.push([this, 'new', args]);
  } as unknown as Record<string, unknown>;
  Stub.q = calls;
  Stub.setConsent = (...a: unknown[]) => calls.push([null, 'setConsent', a]);
  (window as unknown as Record<string, unknown>).Buyapowa = Stub;
}

beforeEach(async () => {
  stopServing = serveChunks();
  // Each test imports the entry, whose import runs it: fresh modules.
  await freshSdk({ reloadModules: true });
  delete window.Buyapowa;
  document.body.innerHTML = '<div id="bp_div"></div>';
  history.replaceState(null, '', '/?bp_e=token');
  vi.spyOn(console, 'error').mockImplementation(() => {});
});

describe('the script-tag entry', () => {
  it('defines window.Buyapowa, which works with and without new', async () => {
    await import('../src/script-tag');
    const B = window.Buyapowa!;
    expect(B.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(new (B as never as new (c: object) => object)(config)).toHaveProperty('embedReferAFriend');
    expect(B(config)).toHaveProperty('track');
  });

  it('captures the referral parameter on load, without any call', async () => {
    await import('../src/script-tag');
    expect(window.Buyapowa!.getReferral()!.t).toEqual({ bp_e: 'token' });
  });

  it('replays calls queued by the loader snippet, in order, and upgrades the stub instance', async () => {
    installStub();
    const B = window.Buyapowa as never as new (...a: unknown[]) => Record<string, (...a: unknown[]) => unknown>;
    (window.Buyapowa as unknown as { setConsent(s: string): void }).setConsent('pending');
    const buyapowa = new B(config, 'bp_div');
    buyapowa.embedReferAFriend({ campaign: 'refer-a-friend' });
    const fetch = answerWith(201);
    buyapowa.track({ order_number: 'O1', customer_email: 'a@b.co' });
    await import('../src/script-tag');
    expect(window.Buyapowa!.getConsent()).toBe('pending');
    // The embed starts once its chunk has arrived.
    await vi.waitFor(() => expect(document.querySelectorAll('#bp_div iframe')).toHaveLength(1));
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    // Later calls on the stub instance go straight to the real one.
    buyapowa.track({ order_number: 'O2', customer_email: 'a@b.co' });
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(2));
    expect(document.cookie).toBe('');
  });

  it('is harmless when loaded twice', async () => {
    await import('../src/script-tag');
    const first = window.Buyapowa;
    vi.resetModules();
    await import('../src/script-tag');
    expect(window.Buyapowa).toBe(first);
  });

  it('never throws into the page', async () => {
    await import('../src/script-tag');
    const B = window.Buyapowa!;
    expect(() => B.setConsent('maybe' as never)).not.toThrow();
    // Logged in full once the explain chunk has run (src/loader/report.ts).
    await vi.waitFor(() =>
      expect(console.error).toHaveBeenCalledWith(
        '[Buyapowa] Buyapowa.setConsent failed: setConsent: "consent" expected "granted", "pending" or "denied", received "maybe"',
        '',
      ),
    );
    const buyapowa = B(undefined as never);
    expect(() => buyapowa.embedReferAFriend(undefined as never)).not.toThrow();
    await expect(buyapowa.track(undefined as never)).rejects.toMatchObject({ code: 'invalid_config' });
  });

  it('rejects with a BuyapowaError, not a TypeError, when consent is a revoked Proxy (the Chromium fuzz found it)', async () => {
    await import('../src/script-tag');
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const B = window.Buyapowa!;
    expect(() => B.setConsent(revoked.proxy as never)).not.toThrow();
    await expect(B({ ...config, consent: revoked.proxy } as never).track({ order_number: 'O1', customer_email: 'a@b.co' })).rejects.toMatchObject({
      name: 'BuyapowaError',
      code: 'invalid_config',
    });
  });
});
