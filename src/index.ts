/**
 * buyapowa-sdk: embed a Buyapowa refer-a-friend campaign, capture referral clicks and send
 * signed conversions. Every export is a free function or a type, so bundlers keep only what
 * you import. Nothing runs at import time.
 *
 * @packageDocumentation
 */
export { Buyapowa } from './buyapowa';
export { embedReferAFriend } from './embed';
export type { EmbedParams, EmbedHandle, EmbedReady } from './embed';
export { track, flushConversions } from './track';
export { noscriptPixelUrl } from './noscript';
export type { Conversion } from './conversion';
export type { TrackResult, DeliveryStatus } from './outbox';
export { captureReferral, getReferral, clearReferral } from './attribution';
export type { CaptureOptions } from './attribution';
export type { StoredReferral } from './referral';
export { setConsent, getConsent } from './consent';
export type { ConsentState } from './consent';
export type { BuyapowaConfig } from './config';
export { BuyapowaError } from './errors';
export type { BuyapowaErrorCode } from './errors';
export { VERSION } from './version';
