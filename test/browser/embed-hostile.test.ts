// Issue 11: whatever embedReferAFriend is given, it never throws, `ready` settles, and it
// rejects only with a BuyapowaError that names the field.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { config, freshSdk } from '../helpers';

const ORIGIN = 'https://bp.shop.com';

beforeEach(() => {
  document.body.innerHTML = '<div id="bp_error" style="display: none;">Sorry</div><div id="bp_div"></div>';
  history.replaceState(null, '', '/refer');
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

const frame = () => document.querySelector('#bp_div iframe') as HTMLIFrameElement;
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e) => e,
  );

describe('embedReferAFriend with hostile input', () => {
  it('leaves out a Symbol or function seamless-login value with one warning naming it, and sends the rest', async () => {
    const { sdk } = await freshSdk();
    const embed = sdk.embedReferAFriend(config, {
      campaign: 'c',
      name: Symbol('John') as never,
      email: 'john@doe.com',
      signature: (() => 'x') as never,
      custom_field: { nested: () => 1 } as never,
    });
    const post = vi.spyOn(frame().contentWindow!, 'postMessage');
    const channel = new URL(frame().src).searchParams.get('channel');
    dispatchEvent(new MessageEvent('message', { data: { bp: 1, channel, type: 'ready' }, origin: ORIGIN, source: frame().contentWindow }));
    await expect(embed.ready).resolves.toMatchObject({ handshake: true });
    expect(post).toHaveBeenCalledWith(expect.objectContaining({ login: { email: 'john@doe.com' } }), ORIGIN);
    expect(vi.mocked(console.warn).mock.calls.map((c) => c[0])).toEqual([
      '[Buyapowa] embedReferAFriend: "name" expected a string, number or boolean, received Symbol(John); it was not sent to the campaign',
      // How a function is shown is errors.ts's `received`.
      expect.stringMatching(/^\[Buyapowa\] embedReferAFriend: "signature" expected a string, number or boolean, received .+; it was not sent to the campaign$/),
      '[Buyapowa] embedReferAFriend: "custom_field" expected a string, number or boolean, received an object; it was not sent to the campaign',
    ]);
  });

  it('logs, never throws, when postMessage itself throws (DataCloneError)', async () => {
    const { sdk } = await freshSdk();
    const embed = sdk.embedReferAFriend(config, { campaign: 'c', email: 'a@b.c' });
    vi.spyOn(frame().contentWindow!, 'postMessage').mockImplementation(() => {
      throw new DOMException('could not be cloned', 'DataCloneError');
    });
    const channel = new URL(frame().src).searchParams.get('channel');
    dispatchEvent(new MessageEvent('message', { data: { bp: 1, channel, type: 'ready' }, origin: ORIGIN, source: frame().contentWindow }));
    await expect(embed.ready).resolves.toMatchObject({ handshake: true });
    expect(vi.mocked(console.error).mock.calls[0][0]).toBe('[Buyapowa] embedReferAFriend: the seamless login could not be sent to the campaign');
  });

  it.each([
    [42, 'received 42'],
    [true, 'received true'],
    [Symbol('box'), 'received Symbol(box)'],
    [{}, 'received an object'],
    [() => 0, 'received '],
  ])('rejects an errorContainer of %s with a BuyapowaError naming it', async (errorContainer, received) => {
    const { sdk } = await freshSdk();
    const error = await errorOf(sdk.embedReferAFriend({ ...config, errorContainer } as never, { campaign: 'c' }).ready);
    expect(error).toBeInstanceOf(sdk.BuyapowaError);
    expect(error.code).toBe('invalid_config');
    expect(error.message.startsWith(`embedReferAFriend: "errorContainer" expected an element on this page, or its id, ${received}`)).toBe(true);
    expect(frame()).toBeNull();
  });

  it.each([
    [{ container: 42 }, '"container" expected an element on this page, or its id, received 42'],
    [{ container: Symbol('x') }, '"container" expected an element on this page, or its id, received Symbol(x)'],
    [{ timeout: Symbol('x') }, '"timeout" expected milliseconds above 0 and at most 2147483647, received Symbol(x)'],
    [{ timeout: Infinity }, '"timeout" expected milliseconds above 0 and at most 2147483647, received Infinity'],
    [{ timeout: 'soon' }, '"timeout" expected milliseconds above 0 and at most 2147483647, received "soon"'],
    [{ title: 12 }, '"title" expected a string, received 12'],
  ])('rejects %o with one BuyapowaError naming the field', async (options, message) => {
    const { sdk } = await freshSdk();
    const error = await errorOf(sdk.embedReferAFriend({ ...config, errorContainer: 'bp_error', ...options } as never, { campaign: 'c' }).ready);
    expect(error).toBeInstanceOf(sdk.BuyapowaError);
    expect(error.message).toBe('embedReferAFriend: ' + message);
    expect(document.getElementById('bp_error')!.style.display).toBe('block');
  });

  it.each([
    ['a campaign that is a Symbol', { campaign: Symbol('c') }, '"campaign" expected a slug like "refer-a-friend", received Symbol(c)'],
    ['a campaign that is a number', { campaign: 42 }, '"campaign" expected a slug like "refer-a-friend", received 42'],
    ['params that are a string', 'refer-a-friend', '"campaign" expected a slug like "refer-a-friend", received undefined'],
  ])('rejects %s with a BuyapowaError', async (_name, params, message) => {
    const { sdk } = await freshSdk();
    const error = await errorOf(sdk.embedReferAFriend(config, params as never).ready);
    expect(error).toBeInstanceOf(sdk.BuyapowaError);
    expect(error.message).toBe('embedReferAFriend: ' + message);
  });

  it('turns a throwing getter into a BuyapowaError naming the field', async () => {
    const { sdk } = await freshSdk();
    const params = {
      campaign: 'c',
      get email(): string {
        throw new Error('boom');
      },
    };
    const error = await errorOf(sdk.embedReferAFriend(config, params).ready);
    expect(error).toBeInstanceOf(sdk.BuyapowaError);
    expect(error.message).toBe('embedReferAFriend: reading "email" threw');
    expect(frame()).toBeNull();
  });

  it('turns a Proxy whose traps throw into a BuyapowaError, for the config and the params', async () => {
    const { sdk } = await freshSdk();
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw Symbol('trap');
        },
        ownKeys: () => {
          throw null;
        },
      },
    );
    for (const [cfg, params] of [
      [hostile, { campaign: 'c' }],
      [config, hostile],
      [{ ...config, container: hostile }, { campaign: 'c' }],
    ]) {
      const error = await errorOf(sdk.embedReferAFriend(cfg as never, params as never).ready);
      expect(error).toBeInstanceOf(sdk.BuyapowaError);
      expect(error.code).toBe('invalid_config');
    }
    expect(frame()).toBeNull();
  });

  it('asks only for the permissions the browser knows (Feature Policy API)', async () => {
    const { sdk } = await freshSdk();
    Object.defineProperty(document, 'featurePolicy', { value: { features: () => ['clipboard-write', 'web-share', 'camera'] }, configurable: true });
    try {
      sdk.embedReferAFriend(config, { campaign: 'c' });
      expect(frame().getAttribute('allow')).toBe('clipboard-write; web-share');
      Object.defineProperty(document, 'featurePolicy', { value: { features: () => ['camera'] }, configurable: true });
      sdk.embedReferAFriend(config, { campaign: 'c' });
      expect(frame().hasAttribute('allow')).toBe(false);
    } finally {
      delete (document as { featurePolicy?: unknown }).featurePolicy;
    }
  });

  it('asks for web-share without the Feature Policy API where navigator.share exists (Safari)', async () => {
    const { sdk } = await freshSdk();
    Object.defineProperty(navigator, 'share', { value: () => Promise.resolve(), configurable: true });
    try {
      sdk.embedReferAFriend(config, { campaign: 'c' });
      expect(frame().getAttribute('allow')).toBe('clipboard-write; web-share');
    } finally {
      delete (navigator as { share?: unknown }).share;
    }
  });
});
