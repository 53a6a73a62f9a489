// The `relay` option and the script tag's `data-relay`: track, the click beacon and the
// noscript pixel go to the merchant's relay instead of the market domain.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { answerWith, config, conversion, freshSdk, settle } from '../helpers';
import { serveChunks } from '../loader/serve-chunks';

beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'info').mockImplementation(() => {});
  history.replaceState(null, '', '/');
});

describe('relay', () => {
  it('sends track to {relay}/track, trailing slash or not', async () => {
    const { sdk } = await freshSdk();
    const fetch = answerWith(201, 201);
    await sdk.track({ ...config, relay: '/buyapowa/' }, conversion);
    await sdk.track({ ...config, relay: 'https://www.shop.com/bp' }, { ...conversion, order_number: 'O2' });
    expect(fetch.mock.calls.map((call) => call[0])).toEqual(['/buyapowa/track', 'https://www.shop.com/bp/track']);
  });

  it('leaves trackUrl in charge of track when both are given', async () => {
    const { sdk } = await freshSdk();
    const fetch = answerWith(201);
    await sdk.track({ ...config, relay: '/buyapowa', trackUrl: 'https://collect.shop.com/t' }, conversion);
    expect(fetch.mock.calls[0][0]).toBe('https://collect.shop.com/t');
  });

  it('sends the click beacon to {relay}/click', async () => {
    const { sdk, beacon } = await freshSdk();
    history.replaceState(null, '', '/?bp_e=token');
    sdk.captureReferral({ ...config, relay: '/buyapowa' });
    expect(beacon.mock.calls.map((call) => call[0])).toEqual(['/buyapowa/click']);
  });

  it('points the noscript pixel at {relay}/track.gif', async () => {
    const { sdk } = await freshSdk();
    expect(sdk.noscriptPixelUrl({ ...config, relay: '/buyapowa' }, conversion)).toMatch(/^\/buyapowa\/track\.gif\?v=1&market=demo&/);
  });

  it('names a relay that is neither a path nor a URL', async () => {
    const { sdk } = await freshSdk();
    await expect(sdk.track({ ...config, relay: 'buyapowa' }, conversion)).rejects.toThrow(
      'track: "relay" expected a path like "/buyapowa" or an absolute URL, received "buyapowa"',
    );
  });

  it("takes the script tag's data-relay as every config's default", async () => {
    const { beacon } = await freshSdk({ reloadModules: true });
    delete window.Buyapowa;
    history.replaceState(null, '', '/?bp_e=token');
    const script = document.createElement('script');
    script.dataset.relay = '/buyapowa';
    Object.defineProperty(document, 'currentScript', { value: script, configurable: true });
    const fetch = answerWith(201);
    const stopServing = serveChunks();
    await import('../../src/script-tag');
    const B = window.Buyapowa!;
    B(config).captureReferral();
    await B(config).track(conversion);
    await settle();
    stopServing();
    expect(beacon.mock.calls.map((call) => call[0])).toEqual(['/buyapowa/click']);
    expect(fetch.mock.calls[0][0]).toBe('/buyapowa/track');
    Object.defineProperty(document, 'currentScript', { value: null, configurable: true });
  });
});
