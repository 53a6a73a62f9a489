// The browser SDK's configuration, given to <BuyapowaProvider> by the root layout. Only public
// values: the market domain and id (NEXT_PUBLIC_ variables, read on the server when the layout
// renders and passed to the client as props); the relay is this app's own route
// (app/buyapowa/[...path]/route.ts), so conversions and clicks stay first-party.
import type { BuyapowaProviderConfig } from 'buyapowa-sdk/react';

/** `url` and `market` of your Buyapowa programme, the relay mounted by this app, and tidy addresses. */
export const BUYAPOWA: BuyapowaProviderConfig = {
  url: process.env.NEXT_PUBLIC_BUYAPOWA_URL ?? 'https://bp.your-website.com',
  market: process.env.NEXT_PUBLIC_BUYAPOWA_MARKET ?? 'your-market',
  relay: '/buyapowa',
  // Once captured, the share link's bp_e leaves the address bar (and the URLs people copy).
  stripReferralParams: true,
};
