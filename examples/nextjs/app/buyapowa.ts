// The browser SDK's configuration, shared by the client components. Only public values: the
// market domain and id come from NEXT_PUBLIC_ variables; the relay is this app's own route
// (app/buyapowa/[...path]/route.ts), so conversions and clicks stay first-party.
import type { BuyapowaConfig } from 'buyapowa-sdk';

/** `url` and `market` of your Buyapowa programme, and the relay mounted by this app. */
export const BUYAPOWA: BuyapowaConfig = {
  url: process.env.NEXT_PUBLIC_BUYAPOWA_URL ?? 'https://bp.your-website.com',
  market: process.env.NEXT_PUBLIC_BUYAPOWA_MARKET ?? 'your-market',
  relay: '/buyapowa',
};
