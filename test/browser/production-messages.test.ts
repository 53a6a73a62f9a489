// Development-only messages: with process.env.NODE_ENV "production" (what a merchant's bundler
// defines in a production build) a BuyapowaError keeps its code, the field and a link to
// docs/errors.md, and none of the long "expected …, received …" texts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { config, conversion, freshSdk } from '../helpers';

const DOCS = 'https://github.com/buyapowa-sdk/buyapowa-sdk/blob/main/docs/errors.md#';

afterEach(() => vi.unstubAllEnvs());

describe('messages in a production build', () => {
  it('track: the field and the docs link of the code, no expected/received text', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { sdk } = await freshSdk();
    const error = await sdk.track(config, { ...conversion, customer_email: 'nope' }).catch((e) => e);
    expect(error).toBeInstanceOf(sdk.BuyapowaError);
    expect(error.code).toBe('invalid_conversion');
    expect(error.problems).toEqual([`track: "customer_email" (${DOCS}invalid_conversion)`]);
    expect(error.message).not.toMatch(/expected|received/);
  });

  it('a config problem names each field, with the invalid_config link', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { sdk } = await freshSdk();
    const error = await sdk.track({ url: 'https://bp.shop.com/path', market: '' }, conversion).catch((e) => e);
    expect(error.code).toBe('invalid_config');
    expect(error.problems).toEqual([`track: "url" (${DOCS}invalid_config)`, `track: "market" (${DOCS}invalid_config)`]);
  });

  it('embedReferAFriend: the code and its link', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { sdk } = await freshSdk();
    const error = await sdk.embedReferAFriend(config, { campaign: 'refer-a-friend' }).ready.catch((e) => e);
    expect(error.code).toBe('container_not_found');
    expect(error.message).toBe(`embedReferAFriend: "container" (${DOCS}container_not_found)`);
  });

  it('in development, the same calls say what was expected and what was received', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { sdk } = await freshSdk();
    const error = await sdk.track(config, { ...conversion, customer_email: 'nope' }).catch((e) => e);
    expect(error.problems).toEqual(['track: "customer_email" expected an email address like "jane@example.com", received "nope". Nothing was sent.']);
  });
});
