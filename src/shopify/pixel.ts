// Entry of the Shopify custom pixel, built to dist/shopify-pixel.js (a minified IIFE). The
// generator puts `const BUYAPOWA = {…};` (validated JSON) in front of it. In a custom pixel,
// Shopify provides the Web Pixels API as the globals `analytics`, `browser`, `init` and
// (unconfirmed, so guarded) `customerPrivacy`. No DOM: the pixel runs in Shopify's sandbox.
import { startPixel, type PixelApi, type PixelConfig } from './pixel-core';

declare const BUYAPOWA: PixelConfig;
declare const analytics: PixelApi['analytics'];
declare const browser: PixelApi['browser'];
declare const init: PixelApi['init'];
declare const customerPrivacy: PixelApi['customerPrivacy'];

startPixel(BUYAPOWA, analytics, browser, init, typeof customerPrivacy !== 'undefined' ? customerPrivacy : undefined);
