// The pixel must send the very request the browser SDK's `track` sends for the same order:
// same endpoint, method, headers and credentials, and the same body except the per-send
// fields (event id, times, page, transport). Both run here in one jsdom page.
import { afterEach, expect, it, vi } from 'vitest';
import { answerWith, bodies, freshSdk } from '../helpers';
import { checkout, checkoutCompleted, idle, sandbox } from './sandbox';
import { startPixel } from '../../src/shopify/pixel-core';

afterEach(() => vi.unstubAllGlobals());

it('sends what track sends for the same conversion and referral', async () => {
  const { sdk } = await freshSdk();
  const at = Date.now() - 3 * 864e5;
  const referral = { v: 1, t: { bp_e: 'c/wMvXhE+tok==' }, at, exp: Date.now() + 864e5 };
  const cookie = encodeURIComponent(JSON.stringify(referral));
  document.cookie = 'bp_ref=' + cookie + ';path=/';

  const fetch = answerWith(201, 201);
  await sdk.track(
    { url: 'https://bp.shop.com', market: 'demo' },
    {
      customer_name: 'Jane, Smith',
      customer_email: 'jane@smith.com',
      marketing_opt_in: true,
      order_number: '5210499102',
      order_value: 1134.65,
      voucher_codes: ['FRIEND10', 'SAVE5'],
      locale: 'pt-BR',
      campaign: 'raf',
    },
  );

  const page = sandbox({ cookies: { bp_ref: cookie } });
  startPixel({ url: 'https://bp.shop.com', market: 'demo', campaign: 'raf' }, ...page.args);
  const names = { ...checkout().billingAddress!, firstName: 'Jane', lastName: 'Smith' };
  const code = (title: string) => ({ ...checkout().discountApplications[0], title });
  page.emit(checkoutCompleted(checkout({ billingAddress: names, email: 'jane@smith.com', discountApplications: [code('FRIEND10'), code('SAVE5')] })));
  await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(2));
  await idle();

  const [[trackUrl, trackInit], [pixelUrl, pixelInit]] = fetch.mock.calls;
  expect(pixelUrl).toBe(trackUrl);
  const { body: _a, ...trackRest } = trackInit;
  const { body: _b, ...pixelRest } = pixelInit;
  expect(pixelRest).toEqual(trackRest);
  const perSend = (b: Record<string, unknown>) => {
    const { event_id, created_at, sent_at, page, transport, ...rest } = b;
    expect(event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof created_at === 'number' && typeof sent_at === 'number' && typeof page === 'string').toBe(true);
    return { rest, transport };
  };
  const [fromTrack, fromPixel] = bodies(fetch).map(perSend);
  expect(fromPixel.rest).toEqual(fromTrack.rest);
  expect(fromTrack.transport).toBe('fetch');
  expect(fromPixel.transport).toBe('shopify-pixel');
  expect(fromPixel.rest).toMatchObject({ attempt: 1, referral: { tokens: referral.t, captured_at: at } });
});
