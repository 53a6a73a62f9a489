/**
 * @vitest-environment jsdom
 * @vitest-environment-options {"url": "https://www.shop.co.uk/refer"}
 */
import { beforeEach, expect, it, vi } from 'vitest';
import { freshSdk } from '../helpers';

// The third-party warning under a two-label public suffix. The check needs no public suffix
// list: the guide's market domain is one label below the shop's domain (bp.shop.co.uk). Its
// one blind spot is a market domain at the top of another site under the same suffix
// (https://other.co.uk), which the guide's setup never uses.
beforeEach(() => {
  document.body.innerHTML = '<div id="bp_div"></div>';
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

it.each([
  ['https://bp.shop.co.uk', false],
  ['https://shop.co.uk', false],
  ['https://bp.other.co.uk', true],
  ['https://shop.buyapowa.com', true],
])('tells whether %s is on the site of www.shop.co.uk (third-party warning: %s)', async (url, warns) => {
  const { sdk } = await freshSdk();
  sdk.embedReferAFriend({ url, market: 'm' }, { campaign: 'c' });
  expect(vi.mocked(console.warn).mock.calls.filter((c) => c[0].includes('third-party'))).toHaveLength(warns ? 1 : 0);
});
