import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { config, freshSdk } from '../helpers';

const ORIGIN = 'https://bp.shop.com';

beforeEach(() => {
  document.body.innerHTML = '<div id="bp_error" style="display: none;">Sorry, something went wrong</div><div id="bp_div"></div>';
  history.replaceState(null, '', '/refer?bp_e=abc%2B%2F%3D&bp_l=false&bp_p=%7B%22email%22%3A%22jo%40x.com%22%7D&utm_source=mail');
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => vi.useRealTimers());

const frames = () => document.querySelectorAll('#bp_div iframe');
const frameUrl = () => new URL((frames()[0] as HTMLIFrameElement).src);
/** Posts a message to the page as if from the campaign iframe. */
function fromCampaign(data: object, origin = ORIGIN, source?: Window | null) {
  const frame = frames()[0] as HTMLIFrameElement;
  const channel = new URL(frame.src).searchParams.get('channel');
  dispatchEvent(new MessageEvent('message', { data: { bp: 1, channel, ...data }, origin, source: source === undefined ? frame.contentWindow : source }));
}

describe('embedReferAFriend', () => {
  it('puts one iframe from the market domain in #bp_div, with deliberate attributes', async () => {
    const { sdk } = await freshSdk();
    sdk.embedReferAFriend(config, { campaign: 'refer-a-friend', locale: 'en' });
    expect(frames()).toHaveLength(1);
    const frame = frames()[0] as HTMLIFrameElement;
    expect(frame.title).toBe('Refer a friend');
    // jsdom has no Feature Policy API and no navigator.share: web-share is left out.
    expect(frame.getAttribute('allow')).toBe('clipboard-write');
    expect(frame.getAttribute('referrerpolicy')).toBe('strict-origin');
    expect(frame.getAttribute('sandbox')).toContain('allow-scripts');
    expect(frame.style.width).toBe('100%');
    const url = frameUrl();
    expect(url.origin + url.pathname).toBe('https://bp.shop.com/iaf/refer-a-friend');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      market: 'demo',
      locale: 'en',
      parent_origin: 'https://www.shop.com',
      bp_e: 'abc+/=',
      bp_l: 'false',
    });
    expect(url.searchParams.get('channel')).toMatch(/^[0-9a-f-]{36}$/);
    expect(url.searchParams.has('utm_source')).toBe(false);
  });

  it('never puts seamless-login fields or bp_p in the iframe URL, and posts them after the handshake', async () => {
    const { sdk } = await freshSdk();
    const login = {
      campaign: 'refer-a-friend',
      auto: true,
      name: 'John Doe',
      email: 'john@doe.com',
      marketing_opt_in: 'true',
      locale: 'en',
      signed_keys: 'name, email',
      signature: 'e8ca91eb',
    };
    const embed = sdk.embedReferAFriend(config, login);
    const frame = frames()[0] as HTMLIFrameElement;
    expect(frame.src).not.toMatch(/john|doe|jo%40x|bp_p|e8ca91eb/i);
    const post = vi.spyOn(frame.contentWindow!, 'postMessage');
    fromCampaign({ type: 'ready' });
    await expect(embed.ready).resolves.toEqual({ campaign: 'refer-a-friend', iframe: frame, handshake: true });
    expect(post).toHaveBeenCalledWith(
      {
        bp: 1,
        type: 'init',
        channel: frameUrl().searchParams.get('channel'),
        login: {
          auto: true,
          name: 'John Doe',
          email: 'john@doe.com',
          marketing_opt_in: 'true',
          locale: 'en',
          signed_keys: 'name, email',
          signature: 'e8ca91eb',
        },
        params: { bp_p: '{"email":"jo@x.com"}' },
      },
      ORIGIN,
    );
  });

  it('forwards the stored bp_e when the page URL has none', async () => {
    history.replaceState(null, '', '/refer');
    const { sdk } = await freshSdk();
    document.cookie = 'bp_ref=' + encodeURIComponent(JSON.stringify({ v: 1, t: { bp_e: 'stored' }, at: 1, exp: Date.now() + 1e6 })) + ';path=/';
    sdk.embedReferAFriend(config, { campaign: 'c' });
    expect(frameUrl().searchParams.get('bp_e')).toBe('stored');
  });

  it('ignores messages from another origin, another window or another channel', async () => {
    const { sdk } = await freshSdk();
    const embed = sdk.embedReferAFriend(config, { campaign: 'c' });
    const settled = vi.fn();
    embed.ready.then(settled, settled);
    fromCampaign({ type: 'ready' }, 'https://evil.example');
    fromCampaign({ type: 'ready' }, ORIGIN, window);
    fromCampaign({ type: 'ready', channel: 'other' });
    fromCampaign({ type: 'resize', height: 1234 }, 'https://evil.example');
    await new Promise((r) => setTimeout(r, 0));
    expect(settled).not.toHaveBeenCalled();
    expect((frames()[0] as HTMLIFrameElement).style.height).toBe('800px');
  });

  it('follows the height the campaign reports, ignoring sub-pixel jitter', async () => {
    const { sdk } = await freshSdk();
    sdk.embedReferAFriend(config, { campaign: 'c' });
    const frame = frames()[0] as HTMLIFrameElement;
    fromCampaign({ type: 'ready' });
    fromCampaign({ type: 'resize', height: 1200.4 });
    expect(frame.style.height).toBe('1201px');
    fromCampaign({ type: 'resize', height: 1202 });
    expect(frame.style.height).toBe('1201px');
    fromCampaign({ type: 'resize', height: 640 });
    expect(frame.style.height).toBe('640px');
  });

  it('shows the error container and rejects when the container is missing', async () => {
    const { sdk } = await freshSdk();
    const error = await sdk.embedReferAFriend({ ...config, container: 'nope', errorContainer: 'bp_error' }, { campaign: 'c' }).ready.catch((e) => e);
    expect(error.code).toBe('container_not_found');
    expect(error.message).toBe('embedReferAFriend: "container" expected an element on this page, or its id, received "nope"');
    expect(document.getElementById('bp_error')!.style.display).toBe('block');
    expect(console.error).toHaveBeenCalledWith('[Buyapowa] ' + error.message, '');
  });

  it('rejects a missing campaign slug', async () => {
    const { sdk } = await freshSdk();
    const error = await sdk.embedReferAFriend(config, {} as never).ready.catch((e) => e);
    expect(error.code).toBe('invalid_config');
    expect(error.message).toBe('embedReferAFriend: "campaign" expected a slug like "refer-a-friend", received undefined');
  });

  it('fails when the campaign says it does not exist', async () => {
    const { sdk } = await freshSdk();
    const embed = sdk.embedReferAFriend({ ...config, errorContainer: 'bp_error' }, { campaign: 'c' });
    fromCampaign({ type: 'error', code: 'campaign_not_found', message: 'no campaign "c" in market "demo"' });
    const error = await embed.ready.catch((e) => e);
    expect(error.code).toBe('campaign_not_found');
    expect(frames()).toHaveLength(0);
    expect(document.getElementById('bp_error')!.style.display).toBe('block');
  });

  it('accepts the timeout as a numeric string (a data- attribute)', async () => {
    vi.useFakeTimers();
    const { sdk } = await freshSdk();
    const result = sdk.embedReferAFriend({ ...config, timeout: '2000' as never }, { campaign: 'c' }).ready.catch((e) => e);
    await vi.advanceTimersByTimeAsync(2000);
    expect((await result).message).toBe('embedReferAFriend: campaign "c" at https://bp.shop.com did not answer within 2000 ms');
  });

  it('times out when no handshake arrives, then removes the iframe and shows the error', async () => {
    vi.useFakeTimers();
    const { sdk } = await freshSdk();
    const embed = sdk.embedReferAFriend({ ...config, errorContainer: 'bp_error', timeout: 5000 }, { campaign: 'c' });
    const result = embed.ready.catch((e) => e);
    await vi.advanceTimersByTimeAsync(5000);
    expect((await result).code).toBe('timeout');
    expect(frames()).toHaveLength(0);
    expect(document.getElementById('bp_error')!.style.display).toBe('block');
  });

  it('keeps a frame that loads and says nothing while the market domain answers, with one warning naming framing', async () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { sdk } = await freshSdk();
    const probe = vi.fn(async (_url: string, _init: RequestInit) => new Response(null));
    vi.stubGlobal('fetch', probe);
    const embed = sdk.embedReferAFriend({ ...config, errorContainer: 'bp_error' }, { campaign: 'c' });
    (frames()[0] as HTMLIFrameElement).dispatchEvent(new Event('load'));
    await vi.advanceTimersByTimeAsync(2999);
    expect(probe).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    const ready = await embed.ready;
    expect(ready.handshake).toBe(false);
    expect(probe).toHaveBeenCalledWith(ORIGIN + '/', expect.objectContaining({ mode: 'no-cors', credentials: 'omit' }));
    expect(frames()).toHaveLength(1);
    expect(document.getElementById('bp_error')!.style.display).not.toBe('block');
    const lines = warn.mock.calls.map((call) => call.join(' ')).filter((line) => line.includes('handshake'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/does not answer the SDK's handshake: shown at 800px.*X-Frame-Options and CSP frame-ancestors/);
  });

  it('fails when the frame loads and the market domain is unreachable', async () => {
    vi.useFakeTimers();
    const { sdk } = await freshSdk();
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    const embed = sdk.embedReferAFriend({ ...config, errorContainer: 'bp_error' }, { campaign: 'c' });
    const result = embed.ready.catch((e) => e);
    (frames()[0] as HTMLIFrameElement).dispatchEvent(new Event('load'));
    await vi.advanceTimersByTimeAsync(3000);
    const error = await result;
    expect(error.code).toBe('frame_failed');
    expect(error.message).toBe('embedReferAFriend: campaign "c" at https://bp.shop.com is unreachable');
    expect(document.getElementById('bp_error')!.style.display).toBe('block');
  });

  it('keeps a campaign page that runs but speaks no handshake: ready with handshake false, one warning', async () => {
    vi.useFakeTimers();
    const { sdk } = await freshSdk();
    const probe = vi.fn(async () => new Response(null));
    vi.stubGlobal('fetch', probe);
    const embed = sdk.embedReferAFriend({ ...config, errorContainer: 'bp_error' }, { campaign: 'c', name: 'Jo', email: 'jo@x.com' });
    const frame = frames()[0] as HTMLIFrameElement;
    const post = vi.spyOn(frame.contentWindow!, 'postMessage');
    // Its own protocol (e.g. iframe-resizer), not ours: no channel, no bp.
    dispatchEvent(new MessageEvent('message', { data: '[iFrameSizer]c:640:800:init', origin: ORIGIN, source: frame.contentWindow }));
    frame.dispatchEvent(new Event('load'));
    await vi.advanceTimersByTimeAsync(3000);
    await expect(embed.ready).resolves.toEqual({ campaign: 'c', iframe: frame, handshake: false });
    await vi.advanceTimersByTimeAsync(60_000); // the 10 s timeout no longer fails it
    expect(frames()).toHaveLength(1);
    expect(frame.style.height).toBe('800px');
    expect(document.getElementById('bp_error')!.style.display).toBe('none');
    expect(post).not.toHaveBeenCalled();
    expect(console.error).not.toHaveBeenCalled();
    const warnings = vi
      .mocked(console.warn)
      .mock.calls.map((c) => c[0])
      .filter((m) => m.includes('handshake'));
    expect(warnings).toEqual([
      `[Buyapowa] embedReferAFriend: campaign "c" at https://bp.shop.com does not answer the SDK's handshake: shown at 800px, without auto-height or seamless login`,
    ]);
  });

  it('does not count a foreign window or origin as the campaign page speaking', async () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { sdk } = await freshSdk();
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(null)),
    );
    const embed = sdk.embedReferAFriend(config, { campaign: 'c' });
    const frame = frames()[0] as HTMLIFrameElement;
    dispatchEvent(new MessageEvent('message', { data: 'hello', origin: 'https://evil.example', source: frame.contentWindow }));
    dispatchEvent(new MessageEvent('message', { data: 'hello', origin: ORIGIN, source: window }));
    frame.dispatchEvent(new Event('load'));
    await vi.advanceTimersByTimeAsync(3000);
    expect((await embed.ready).handshake).toBe(false);
    // Counted as a page that posted nothing: the warning names framing.
    expect(warn.mock.calls.map((call) => call.join(' ')).join('\n')).toContain('it posted nothing');
  });

  it('replaces the previous embed in the same container instead of stacking', async () => {
    const { sdk } = await freshSdk();
    const first = sdk.embedReferAFriend(config, { campaign: 'c' });
    sdk.embedReferAFriend(config, { campaign: 'c' });
    expect(frames()).toHaveLength(1);
    expect((await first.ready.catch((e) => e)).code).toBe('destroyed');
    expect(console.error).not.toHaveBeenCalled();
  });

  it('destroy() removes the iframe and stops listening', async () => {
    const { sdk } = await freshSdk();
    const embed = sdk.embedReferAFriend(config, { campaign: 'c' });
    const frame = frames()[0] as HTMLIFrameElement;
    fromCampaign({ type: 'ready' });
    await embed.ready;
    const remove = vi.spyOn(window, 'removeEventListener');
    embed.destroy();
    embed.destroy();
    expect(frames()).toHaveLength(0);
    expect(remove).toHaveBeenCalledWith('message', expect.any(Function));
    expect(frame.isConnected).toBe(false);
  });

  it('hides the error a failed embed showed when a new embed succeeds', async () => {
    const { sdk } = await freshSdk();
    await sdk.embedReferAFriend({ ...config, container: 'nope', errorContainer: 'bp_error' }, { campaign: 'c' }).ready.catch(() => {});
    sdk.embedReferAFriend({ ...config, errorContainer: 'bp_error' }, { campaign: 'c' });
    expect(document.getElementById('bp_error')!.style.display).toBe('none');
  });

  it('accepts elements as container and error container', async () => {
    const { sdk } = await freshSdk();
    const box = document.createElement('section');
    document.body.append(box);
    sdk.embedReferAFriend({ ...config, container: box }, { campaign: 'c' });
    expect(box.querySelector('iframe')).not.toBeNull();
  });

  it('warns once when the market domain is not on the page site', async () => {
    const { sdk } = await freshSdk();
    sdk.embedReferAFriend({ url: 'https://bp.other-site.com', market: 'm' }, { campaign: 'c' });
    sdk.embedReferAFriend({ url: 'https://bp.other-site.com', market: 'm' }, { campaign: 'c' });
    const warnings = vi
      .mocked(console.warn)
      .mock.calls.map((c) => c[0])
      .filter((m) => m.includes('third-party'));
    expect(warnings).toEqual([
      "[Buyapowa] https://bp.other-site.com is not on this page's site: its cookies are third-party and may be blocked (see the guide's cookie subdomain)",
    ]);
  });

  it('does not warn for the cookie subdomain of the same site', async () => {
    const { sdk } = await freshSdk();
    sdk.embedReferAFriend(config, { campaign: 'c' });
    expect(vi.mocked(console.warn).mock.calls.filter((c) => c[0].includes('third-party'))).toEqual([]);
  });

  // The page is https://www.shop.com.
  it.each([
    ['https://bp.shop.com', false],
    ['https://shop.com', false],
    ['https://bp.www.shop.com', false],
    ['https://bp.shop.com:8443', false],
    ['http://bp.shop.com', true],
    ['https://bp.other-site.com', true],
    ['https://notshop.com', true],
    ['https://bp.shop.com.evil.com', true],
    ['https://bp.com', true],
  ])('tells whether %s is on the page site (third-party warning: %s)', async (url, warns) => {
    const { sdk } = await freshSdk();
    sdk.embedReferAFriend({ url, market: 'm' }, { campaign: 'c' });
    expect(vi.mocked(console.warn).mock.calls.filter((c) => c[0].includes('third-party'))).toHaveLength(warns ? 1 : 0);
  });
});
