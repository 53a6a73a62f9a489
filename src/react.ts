/**
 * buyapowa-sdk/react: the refer-a-friend embed, referral capture and conversion tracking as a
 * React provider, a component and two hooks, for React 18 and 19 (Next.js App Router included:
 * the built file starts with `'use client'`). On the server they render the empty container and
 * run nothing.
 *
 * @example
 * ```tsx
 * import { BuyapowaProvider, ReferAFriend, useReferralCapture } from 'buyapowa-sdk/react';
 *
 * function Capture() {
 *   useReferralCapture(location.pathname);
 *   return null;
 * }
 *
 * export const Page = () => (
 *   <BuyapowaProvider config={{ url: 'https://bp.your-website.com', market: 'your-market' }}>
 *     <Capture />
 *     <ReferAFriend campaign="refer-a-friend" locale="en" />
 *   </BuyapowaProvider>
 * );
 * ```
 *
 * @packageDocumentation
 */
export { BuyapowaProvider } from './react/context';
export type { BuyapowaProviderConfig, BuyapowaProviderProps } from './react/context';
export { ReferAFriend } from './react/refer-a-friend';
export type { ReferAFriendLogin, ReferAFriendProps } from './react/refer-a-friend';
export { useReferralCapture, useTrack } from './react/hooks';
export type { EmbedReady } from './browser/embed';
export type { Conversion } from './core/conversion';
export type { TrackResult } from './browser/outbox';
export { BuyapowaError } from './core/errors';
export type { BuyapowaErrorCode } from './core/errors';
