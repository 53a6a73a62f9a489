/**
 * buyapowa-sdk/server: signing, `bp_e`, and the request handlers for your server (Node 20+ and
 * edge runtimes). Never bundle this entry for the browser: it handles your secret and auth token.
 *
 * - {@link sign}, {@link verify}, {@link signFields}: the `signature` of seamless login and
 *   of signed conversions.
 * - {@link encryptBpE}, {@link decryptBpE}: the encrypted `bp_e` parameter of landing URLs.
 * - {@link decodeReferral}: who referred a visitor. {@link autoSignupUrl}: one-click sign-up links.
 * - {@link createRelay}: the first-party relay the browser SDK sends conversions and clicks to.
 * - {@link createShopifyOrdersWebhook}, {@link createReferralConfirmedWebhook}: webhooks.
 * - {@link createSegmentationHandler}: the guide's segmentation endpoints.
 * - {@link toNodeListener}: mounts any of these handlers on node:http, Express or Fastify.
 *
 * Every handler takes a `logger` option ({@link Logger}, default `console`).
 *
 * @packageDocumentation
 */
export { sign, verify, signFields } from './server/signature';
export type { SignableFields } from './server/signature';
export { encryptBpE, decryptBpE } from './server/bp-e';
export { decodeReferral, autoSignupUrl } from './server/referral';
export type { ReferralMetadata, ReferralCustomField, DecodedReferral, AutoSignup } from './server/referral';
export { createRelay } from './server/relay';
export type { RelayOptions } from './server/relay';
export type { UpstreamOptions } from './server/relay-upstream';
export type { GuideOrder } from './server/relay-mapping';
export { createShopifyOrdersWebhook } from './server/webhooks-shopify';
export type { ShopifyOrdersWebhookOptions } from './server/webhooks-shopify';
export { createReferralConfirmedWebhook } from './server/webhooks-referral-confirmed';
export type { ReferralConfirmedEvent, ReferralConfirmedOptions, WebhookCustomField } from './server/webhooks-referral-confirmed';
export { createSegmentationHandler } from './server/segmentation';
export type { SegmentationOptions } from './server/segmentation';
export type { BasicAuth } from './server/http-auth';
export type { Logger } from './server/log';
export { toNodeListener } from './server/node';
export { BuyapowaError } from './core/errors';
export type { BuyapowaErrorCode } from './core/errors';
