// The custom pixel of a store on a real account (`--relay`): it sends nothing. A pixel is public
// code, so it cannot sign a conversion, and a relay refuses unsigned ones (422); it cannot write
// a cart attribute either (its sandbox has no access to the cart). So on a real account the
// orders webhook records every order, with the referrer from the `_bp_ref` cart attribute the
// theme snippet writes, and this pixel only tells, in the Thank you page's console, whether the
// order carries that referral: the check of INSTALL.md's test order, and a hint when the theme
// snippet is missing. Hand-written ES2015 (no SDK code: nothing to send, nothing to queue).
import { CART_ATTRIBUTE, OUTBOX_KEY } from './pixel-core';
import { REFERRAL_KEY } from '../core/referral';

/**
 * The body of the relay-mode custom pixel: a script that uses the Web Pixels globals
 * (`analytics`, `browser`) and never calls `fetch`, `sendBeacon` or anything else that sends.
 * @internal
 */
export const checkPixelSource = `(function () {
  // The referral token (bp_e) of the SDK's referral JSON, URI-encoded or not; '' when there is none.
  function token(value) {
    try {
      var referral = JSON.parse(/^%7B/i.test(value) ? decodeURIComponent(value) : value);
      return (referral && referral.t && referral.t.bp_e) || '';
    } catch (e) {
      return '';
    }
  }
  function log(level, message) {
    try {
      console[level]('[Buyapowa] pixel: ' + message);
    } catch (e) {}
  }
  // Conversions an earlier Buyapowa pixel of this store left unsent: the orders webhook records them.
  browser.localStorage.removeItem(${JSON.stringify(OUTBOX_KEY)}).catch(function () {});
  analytics.subscribe('checkout_completed', function (event) {
    var checkout = (event && event.data && event.data.checkout) || {};
    var order = String((checkout.order && checkout.order.id) || '').replace(/.*\\//, '').replace(/\\?.*/, '') || '(no id yet)';
    var attribute = (checkout.attributes || []).filter(function (a) {
      return a && a.key === ${JSON.stringify(CART_ATTRIBUTE)};
    })[0];
    var inCart = attribute ? token(String(attribute.value || '')) : '';
    browser.cookie
      .get(${JSON.stringify(REFERRAL_KEY)})
      .catch(function () {
        return '';
      })
      .then(function (cookie) {
        var inBrowser = cookie ? token(cookie) : '';
        if (inCart) log('info', 'order ' + order + ' carries its referral (cart attribute ${CART_ATTRIBUTE}); your orders webhook records it with the referrer. This pixel sends nothing.');
        else if (inBrowser)
          log('warn', 'order ' + order + ': this browser holds a referral but the order has no ${CART_ATTRIBUTE} cart attribute, so your orders webhook records it without a referrer. Check that layout/theme.liquid renders the buyapowa-referral snippet (INSTALL.md step 3) and that the cookie banner was accepted before checkout.');
        else log('info', 'order ' + order + ' has no referral; your orders webhook records it without a referrer. This pixel sends nothing.');
      });
  });
})();`;
