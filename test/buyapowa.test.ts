import { beforeEach, describe, expect, it, vi } from 'vitest';
import { answerWith, config, freshSdk } from './helpers';

beforeEach(() => {
  document.body.innerHTML = '<div id="host"></div><div id="oops" style="display:none"></div>';
  history.replaceState(null, '', '/?bp_e=tok');
  vi.spyOn(console, 'error').mockImplementation(() => {});
});

describe('the Buyapowa class', () => {
  it('takes the container and error container as the guide shows', async () => {
    const { sdk } = await freshSdk();
    const buyapowa = new sdk.Buyapowa(config, 'host', 'oops');
    expect(buyapowa.config).toMatchObject({ ...config, container: 'host', errorContainer: 'oops' });
    buyapowa.embedReferAFriend({ campaign: 'c' });
    expect(document.querySelector('#host iframe')).not.toBeNull();
  });

  it('captures the referral and flushes the outbox of its market when constructed', async () => {
    const { sdk, beacon } = await freshSdk();
    new sdk.Buyapowa(config);
    expect(sdk.getReferral()!.t).toEqual({ bp_e: 'tok' });
    expect(beacon).toHaveBeenCalledWith('https://bp.shop.com/click', expect.any(String));
  });

  it('delegates track to the free function', async () => {
    const { sdk } = await freshSdk();
    const fetch = answerWith(201);
    await expect(new sdk.Buyapowa(config).track({ order_number: 'O1', customer_email: 'a@b.co' })).resolves.toMatchObject({ status: 'delivered' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('never throws on construction, even with a bad config', async () => {
    const { sdk } = await freshSdk();
    const buyapowa = new sdk.Buyapowa(null as never);
    await expect(buyapowa.track({ order_number: 'O1', customer_email: 'a@b.co' })).rejects.toMatchObject({ code: 'invalid_config' });
  });
});
