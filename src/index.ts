/**
 * buyapowa-sdk: embed a Buyapowa refer-a-friend campaign, capture referral clicks and send
 * signed conversions. Every export is a free function or a type, so bundlers keep only what
 * you import. Nothing runs at import time.
 *
 * @packageDocumentation
 */
export { Buyapowa } from './browser/buyapowa';
export { embedReferAFriend } from './browser/embed';
export type { EmbedParams, EmbedHandle, EmbedReady } from './browser/embed';
export { track, flushConversions } from './browser/track';
export { noscriptPixelUrl } from './browser/noscript';
export type { Conversion } from './core/conversion';
export type { TrackResult, DeliveryStatus } from './browser/outbox';
export { captureReferral, getReferral, clearReferral } from './browser/attribution';
export type { CaptureOptions } from './browser/attribution';
export type { StoredReferral } from './core/referral';
export { setConsent, getConsent } from './browser/consent';
export type { ConsentState, ConsentPlatform, ConsentOption, PlatformOptions } from './browser/consent';
export { followTcf } from './browser/consent-platforms/tcf';
export { followGoogleConsent } from './browser/consent-platforms/google';
export { followShopifyPrivacy } from './browser/consent-platforms/shopify';
export type { BuyapowaConfig } from './browser/config';
export { BuyapowaError } from './core/errors';
export type { BuyapowaErrorCode } from './core/errors';
export { VERSION } from './core/version';
