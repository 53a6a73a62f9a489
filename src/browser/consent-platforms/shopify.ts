// Shopify's Customer Privacy API on the storefront: window.Shopify.customerPrivacy.
import { shopifyDecision } from '../../core/consent-decisions';
import type { PlatformOptions } from '../consent';
import { followConsent, type ConsentAdapter } from './follow';

interface ShopifyGlobal {
  customerPrivacy?: unknown;
  loadFeatures?: (features: Array<{ name: string; version: string }>, callback: (error?: unknown) => void) => void;
}

/**
 * The Shopify adapter: reads `marketingAllowed()` now (loading the API with `Shopify.loadFeatures`
 * when the theme has not) and again at each `visitorConsentCollected` event on `document`. @internal
 */
export const shopify: ConsentAdapter = (_options, decide, say) => {
  const shop = () => (window as { Shopify?: ShopifyGlobal }).Shopify;
  let decided = 'pending';
  const read = (event?: Event) => {
    try {
      const privacy = shop()?.customerPrivacy;
      // Without the API, the event's own booleans (its detail) decide.
      const decision = shopifyDecision(privacy || (event as CustomEvent | undefined)?.detail, !!event);
      if (decision !== decided) decide((decided = decision));
    } catch (error) {
      say('ignored: ' + (error as Error).message);
    }
  };
  document.addEventListener('visitorConsentCollected', read);
  const s = shop();
  if (s?.customerPrivacy) return read();
  if (typeof s?.loadFeatures !== 'function') return say('window.Shopify.loadFeatures is missing: waiting for a visitorConsentCollected event');
  try {
    s.loadFeatures([{ name: 'consent-tracking-api', version: '0.1' }], (error) => (error ? say('loadFeatures failed: ' + error) : read()));
  } catch (error) {
    say('loadFeatures threw: ' + (error as Error).message);
  }
};

/**
 * Follows Shopify's Customer Privacy API (the store's cookie banner): consent is granted when
 * `Shopify.customerPrivacy.marketingAllowed()` is true, denied once the visitor declines, pending
 * before; later changes (`visitorConsentCollected`) are followed without a reload. The script tag
 * does this for `data-consent="shopify"`. See docs/consent.md.
 *
 * @param options - `honorGlobalPrivacyControl`.
 * @example
 * ```ts
 * import { followShopifyPrivacy } from 'buyapowa-sdk';
 * followShopifyPrivacy();
 * ```
 */
export const followShopifyPrivacy = (options?: PlatformOptions): void => followConsent('shopify', shopify, options);
