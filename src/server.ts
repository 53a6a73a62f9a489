/**
 * buyapowa-sdk/server: signing and `bp_e` for your server (Node 20+ and edge runtimes).
 * Never bundle this entry for the browser: it handles your secret and auth token.
 *
 * - {@link sign}, {@link verify}, {@link signFields}: the `signature` of seamless login and
 *   of signed conversions.
 * - {@link encryptBpE}, {@link decryptBpE}: the encrypted `bp_e` parameter of landing URLs.
 * - {@link decodeReferral}: who referred a visitor. {@link autoSignupUrl}: one-click sign-up links.
 *
 * @packageDocumentation
 */
export { sign, verify, signFields } from './server/signature';
export type { SignableFields } from './server/signature';
export { encryptBpE, decryptBpE } from './server/bp-e';
export { decodeReferral, autoSignupUrl } from './server/referral';
export type { ReferralMetadata, ReferralCustomField, DecodedReferral, AutoSignup } from './server/referral';
export { BuyapowaError } from './errors';
export type { BuyapowaErrorCode } from './errors';
