// <ReferAFriend> in jsdom with React Testing Library: one iframe under StrictMode, none after
// unmount, a new embed only when campaign, locale or login change by value, the fallback as
// the embed's error container, and a clear error without a provider.
import { act, cleanup, render } from '@testing-library/react';
import { StrictMode, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BuyapowaProvider, ReferAFriend, type BuyapowaProviderConfig, type ReferAFriendProps } from '../../src/react';

const ORIGIN = 'https://bp.shop.com';
const config: BuyapowaProviderConfig = { url: ORIGIN, market: 'demo' };

let errors: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  history.replaceState(null, '', '/refer');
  errors = vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(cleanup);

const frames = () => [...document.querySelectorAll('iframe')];
const frameUrl = (frame = frames()[0]) => new URL(frame.src);
/** Posts a message to the page as if from the campaign iframe. */
function fromCampaign(data: object, frame = frames()[0]) {
  const channel = frameUrl(frame).searchParams.get('channel');
  act(() => {
    dispatchEvent(new MessageEvent('message', { data: { bp: 1, channel, ...data }, origin: ORIGIN, source: frame.contentWindow }));
  });
}
/** Lets the embed's promise callbacks run. */
const settle = () => act(async () => {});

/** The component under StrictMode (effects mount, unmount and mount again), in a provider. */
function app(props: ReferAFriendProps, providerConfig: BuyapowaProviderConfig = { ...config }): ReactNode {
  return (
    <StrictMode>
      <BuyapowaProvider config={providerConfig}>
        <ReferAFriend {...props} />
      </BuyapowaProvider>
    </StrictMode>
  );
}

describe('<ReferAFriend>', () => {
  it('ends with exactly one iframe under StrictMode, from the market domain, in its own container', async () => {
    const onError = vi.fn();
    const { container } = render(app({ campaign: 'refer-a-friend', locale: 'en', className: 'raf', onError }));
    expect(frames()).toHaveLength(1);
    const url = frameUrl();
    expect(url.origin + url.pathname).toBe(ORIGIN + '/iaf/refer-a-friend');
    expect(url.searchParams.get('locale')).toBe('en');
    expect(url.searchParams.get('market')).toBe('demo');
    expect(container.querySelector('.raf > div > iframe')).toBe(frames()[0]);
    // The first embed, destroyed by StrictMode's second mount, is not an error.
    await settle();
    expect(onError).not.toHaveBeenCalled();
  });

  it('calls onReady once the campaign answers, with the latest callback and without embedding again', async () => {
    const first = vi.fn();
    const second = vi.fn();
    const { rerender } = render(app({ campaign: 'refer-a-friend', onReady: first }));
    const frame = frames()[0];
    rerender(app({ campaign: 'refer-a-friend', onReady: second }));
    expect(frames()).toEqual([frame]);
    fromCampaign({ type: 'ready' });
    await settle();
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledWith({ campaign: 'refer-a-friend', iframe: frame, handshake: true });
  });

  it('removes the iframe on unmount, without calling onError', async () => {
    const onError = vi.fn();
    const { unmount } = render(app({ campaign: 'refer-a-friend', onError }));
    expect(frames()).toHaveLength(1);
    unmount();
    expect(frames()).toHaveLength(0);
    await settle();
    expect(onError).not.toHaveBeenCalled();
  });

  it('compares login by value: an equal inline object (keys in any order) keeps the iframe, a new value embeds again', () => {
    const login = { name: 'Jane Doe', email: 'jane@doe.com', signed_keys: 'name, email', signature: 'abc' };
    const { rerender } = render(app({ campaign: 'refer-a-friend', login: { ...login } }));
    const frame = frames()[0];
    rerender(app({ campaign: 'refer-a-friend', login: { signature: 'abc', signed_keys: 'name, email', email: 'jane@doe.com', name: 'Jane Doe' } }));
    expect(frames()).toEqual([frame]);
    rerender(app({ campaign: 'refer-a-friend', login: { ...login, email: 'janet@doe.com' } }));
    expect(frames()).toHaveLength(1);
    expect(frames()[0]).not.toBe(frame);
  });

  it('embeds again when campaign or locale change, and keeps the iframe when the provider gets an equal config', () => {
    const { rerender } = render(app({ campaign: 'refer-a-friend' }));
    const frame = frames()[0];
    rerender(app({ campaign: 'refer-a-friend' }, { url: ORIGIN, market: 'demo' }));
    expect(frames()).toEqual([frame]);
    rerender(app({ campaign: 'summer' }));
    expect(frames()).toHaveLength(1);
    expect(frameUrl().pathname).toBe('/iaf/summer');
    const summer = frames()[0];
    rerender(app({ campaign: 'summer', locale: 'fr' }));
    expect(frames()).toHaveLength(1);
    expect(frames()[0]).not.toBe(summer);
    expect(frameUrl().searchParams.get('locale')).toBe('fr');
    rerender(app({ campaign: 'summer', locale: 'fr' }, { url: ORIGIN, market: 'other' }));
    expect(frameUrl().searchParams.get('market')).toBe('other');
  });

  it('sends the seamless login by postMessage after the handshake, never in the DOM or the iframe URL', () => {
    const login = { auto: true, name: 'Jane Doe', email: 'jane@doe.com', signed_keys: 'name, email', signature: 'e8ca91eb' };
    const { container } = render(app({ campaign: 'refer-a-friend', login }));
    expect(container.innerHTML).not.toMatch(/jane|doe|e8ca91eb/i);
    const post = vi.spyOn(frames()[0].contentWindow!, 'postMessage');
    fromCampaign({ type: 'ready' });
    expect(post).toHaveBeenCalledWith(expect.objectContaining({ type: 'init', login }), ORIGIN);
  });

  it('keeps the fallback hidden, and shows it with onError when the campaign fails', async () => {
    const onError = vi.fn();
    const { getByText } = render(app({ campaign: 'nope', onError, fallback: <p>Could not load the campaign</p> }));
    const fallback = getByText('Could not load the campaign').parentElement!;
    expect(fallback.hidden || fallback.style.display === 'none').toBe(true);
    fromCampaign({ type: 'error', code: 'campaign_not_found', message: 'no campaign "nope"' });
    await settle();
    expect(frames()).toHaveLength(0);
    expect(fallback.hidden).toBe(false);
    expect(fallback.style.display).toBe('block');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0][0]).toMatchObject({ name: 'BuyapowaError', code: 'campaign_not_found' });
  });

  it('reports a config problem through onError and the console, and renders without throwing', async () => {
    const onError = vi.fn();
    render(app({ campaign: 'refer-a-friend', onError }, { url: 'https://bp.shop.com/path', market: 'demo' }));
    await settle();
    expect(frames()).toHaveLength(0);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'invalid_config' }));
    expect(String(errors.mock.calls[0][0])).toMatch(/"url" expected your market domain alone/);
  });

  it('without a provider, says so through onError and the console, and embeds nothing', async () => {
    const onError = vi.fn();
    render(<ReferAFriend campaign="refer-a-friend" onError={onError} />);
    await settle();
    expect(frames()).toHaveLength(0);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0][0]).toMatchObject({ code: 'invalid_config', message: expect.stringContaining('no <BuyapowaProvider') });
    expect(String(errors.mock.calls[0][0])).toContain('ReferAFriend: no <BuyapowaProvider');
  });
});
