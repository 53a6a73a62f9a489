// <buyapowa-refer-a-friend> in jsdom: defined once, upgrades properties set before it was
// defined, embeds on connect, once per task of changes, again on a real change only, destroys on
// removal, keeps login fields out of the DOM and tells `ready` and `error` as events.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BuyapowaReferAFriendElement } from '../src/element';

const ORIGIN = 'https://bp.shop.com';
const TAG = 'buyapowa-refer-a-friend';
const login = { auto: true, name: 'Jane Doe', email: 'jane@doe.com', signed_keys: 'name, email', signature: 'e8ca91eb' };

// Made before the module defines the element, as a framework may do: its properties are plain
// own properties until the upgrade.
const early = document.createElement(TAG) as BuyapowaReferAFriendElement & Record<string, unknown>;
early.campaign = 'early';
early.login = { ...login };
early.setAttribute('url', ORIGIN);
early.setAttribute('market', 'demo');

let errors: ReturnType<typeof vi.spyOn>;
beforeAll(() => import('../src/element'));
beforeEach(() => {
  document.body.innerHTML = '';
  errors = vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  document.body.innerHTML = '';
});

/** Lets the element's microtask and the embed's promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const frames = (root: ParentNode = document) => [...root.querySelectorAll('iframe')];
const frameUrl = (frame: HTMLIFrameElement) => new URL(frame.src);
/** Posts a message to the page as if from the campaign iframe. */
function fromCampaign(frame: HTMLIFrameElement, data: object) {
  const channel = frameUrl(frame).searchParams.get('channel');
  dispatchEvent(new MessageEvent('message', { data: { bp: 1, channel, ...data }, origin: ORIGIN, source: frame.contentWindow }));
}

/** `<buyapowa-refer-a-friend>` with `attributes`, added to the page. */
function addElement(attributes: Record<string, string>, inner = ''): BuyapowaReferAFriendElement {
  const element = document.createElement(TAG);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.innerHTML = inner;
  document.body.append(element);
  return element;
}
const attributes = { url: ORIGIN, market: 'demo', campaign: 'refer-a-friend', locale: 'en' };

describe('<buyapowa-refer-a-friend>', () => {
  it('moves properties set before the definition onto the element, login included, and keeps login out of the DOM', async () => {
    expect(customElements.get(TAG)).toBeDefined();
    expect(Object.prototype.hasOwnProperty.call(early, 'campaign')).toBe(true);
    document.body.append(early);
    await settle();
    expect(Object.prototype.hasOwnProperty.call(early, 'campaign')).toBe(false);
    expect(early.getAttribute('campaign')).toBe('early');
    const [frame] = frames(early);
    expect(frameUrl(frame).pathname).toBe('/iaf/early');
    const post = vi.spyOn(frame.contentWindow!, 'postMessage');
    fromCampaign(frame, { type: 'ready' });
    expect(post).toHaveBeenCalledWith(expect.objectContaining({ type: 'init', login }), ORIGIN);
    expect(document.documentElement.outerHTML).not.toMatch(/jane|e8ca91eb/i);
    expect(frame.src).not.toMatch(/jane|e8ca91eb/i);
  });

  it('does not define itself twice when the module is loaded again', async () => {
    const first = customElements.get(TAG);
    vi.resetModules();
    await expect(import('../src/element')).resolves.toBeDefined();
    expect(customElements.get(TAG)).toBe(first);
  });

  it('embeds one iframe from the market domain when added, and tells `ready` as an event', async () => {
    const element = addElement(attributes);
    const ready = vi.fn();
    element.addEventListener('ready', (event) => ready(event.detail));
    expect(frames()).toHaveLength(0);
    await settle();
    const [frame] = frames(element);
    expect(frames()).toHaveLength(1);
    const url = frameUrl(frame);
    expect(url.origin + url.pathname).toBe(ORIGIN + '/iaf/refer-a-friend');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ market: 'demo', locale: 'en' });
    fromCampaign(frame, { type: 'ready' });
    await settle();
    expect(ready).toHaveBeenCalledWith({ campaign: 'refer-a-friend', iframe: frame, handshake: true });
  });

  it('embeds again once for several changes in one task, and not for a value set again', async () => {
    const element = addElement(attributes);
    await settle();
    const [first] = frames();
    element.setAttribute('campaign', 'refer-a-friend');
    element.locale = 'en';
    await settle();
    expect(frames()).toEqual([first]);
    element.campaign = 'summer';
    element.setAttribute('locale', 'fr');
    element.market = 'other';
    await settle();
    const [second] = frames();
    expect(frames()).toHaveLength(1);
    expect(second).not.toBe(first);
    expect(Object.fromEntries(frameUrl(second).searchParams)).toMatchObject({ market: 'other', locale: 'fr' });
    expect(frameUrl(second).pathname).toBe('/iaf/summer');
  });

  it('reflects its attributes as properties', () => {
    const element = addElement(attributes);
    expect([element.url, element.market, element.campaign, element.locale, element.relay]).toEqual([ORIGIN, 'demo', 'refer-a-friend', 'en', null]);
    element.relay = '/buyapowa';
    expect(element.getAttribute('relay')).toBe('/buyapowa');
    element.relay = null;
    expect(element.hasAttribute('relay')).toBe(false);
  });

  it('compares login by value: an equal object keeps the iframe, another value embeds again', async () => {
    const element = addElement(attributes);
    element.login = { ...login };
    await settle();
    const [first] = frames();
    element.login = { signature: 'e8ca91eb', signed_keys: 'name, email', email: 'jane@doe.com', name: 'Jane Doe', auto: true };
    await settle();
    expect(frames()).toEqual([first]);
    element.login = { ...login, email: 'janet@doe.com' };
    await settle();
    expect(frames()).toHaveLength(1);
    expect(frames()[0]).not.toBe(first);
    expect(element.login).toEqual({ ...login, email: 'janet@doe.com' });
    expect(element.getAttributeNames().sort()).toEqual(['campaign', 'locale', 'market', 'url']);
  });

  it('removes the iframe and its listener when removed, and embeds again when added back', async () => {
    const element = addElement(attributes);
    const ready = vi.fn();
    const failed = vi.fn();
    element.addEventListener('ready', ready);
    element.addEventListener('error', failed);
    await settle();
    const [frame] = frames();
    element.remove();
    expect(frames(element)).toHaveLength(0);
    fromCampaign(frame, { type: 'ready' });
    await settle();
    expect(ready).not.toHaveBeenCalled();
    expect(failed).not.toHaveBeenCalled();
    document.body.append(element);
    await settle();
    expect(frames()).toHaveLength(1);
  });

  it('shows its [data-error] child and tells `error` when the campaign fails', async () => {
    const element = addElement({ ...attributes, campaign: 'nope' }, '<p data-error hidden>Could not load the campaign</p>');
    const failed = vi.fn();
    element.addEventListener('error', (event) => failed(event.detail));
    await settle();
    const fallback = element.querySelector<HTMLElement>('[data-error]')!;
    fromCampaign(frames()[0], { type: 'error', code: 'campaign_not_found', message: 'no campaign "nope"' });
    await settle();
    expect(frames()).toHaveLength(0);
    expect(fallback.hidden).toBe(false);
    expect(fallback.style.display).toBe('block');
    expect(failed).toHaveBeenCalledWith(expect.objectContaining({ name: 'BuyapowaError', code: 'campaign_not_found' }));
  });

  it('reports a missing attribute as one [Buyapowa] line and an `error` event, without throwing', async () => {
    const element = addElement({ url: ORIGIN, campaign: 'refer-a-friend' });
    const failed = vi.fn();
    element.addEventListener('error', (event) => failed(event.detail));
    await settle();
    expect(frames()).toHaveLength(0);
    expect(failed).toHaveBeenCalledWith(expect.objectContaining({ code: 'invalid_config' }));
    expect(String(errors.mock.calls[0][0])).toMatch(/\[Buyapowa\] .*"market" expected your market id, received undefined/);
  });
});
