import { resolveConfig, type BuyapowaConfig } from './config';
import { checkConversion, type Conversion } from '../core/conversion';
import { browserError } from '../core/problems';

/**
 * Builds the URL of a 1×1 tracking image for pages without JavaScript:
 * `<noscript><img src="…" width="1" height="1" alt=""></noscript>`. Call it where the page is
 * rendered (it needs no browser). The platform answers with a GIF whatever happens, deduplicates
 * by order number, and verifies the signature like `track`.
 *
 * **Privacy trade-off:** this is the only request that puts personal data (the email, the
 * name) in a URL, where it lands in access logs and browser history. `track` never does. Use it
 * only for visitors without JavaScript, and prefer signing it.
 *
 * @param config - `{ url, market }`; `trackUrl` is not used (the image goes to `{url}/track.gif`).
 * @param conversion - The same fields as `track`, checked and normalised the same way.
 * @returns The absolute image URL.
 * @throws BuyapowaError (`invalid_config`, `invalid_conversion`) listing each problem.
 * @example
 * ```ts
 * const src = noscriptPixelUrl(
 *   { url: 'https://bp.your-website.com', market: 'your-market' },
 *   { order_number: 'ORDER123', customer_email: 'john@doe.com', order_value: '12.89' },
 * );
 * html += `<noscript><img src="${escapeHtml(src)}" width="1" height="1" alt=""></noscript>`;
 * ```
 */
export function noscriptPixelUrl(config: BuyapowaConfig, conversion: Conversion): string {
  const c = resolveConfig(config, 'noscriptPixelUrl');
  const { fields, errors } = checkConversion(conversion);
  if (errors[0]) throw browserError('invalid_conversion', 'noscriptPixelUrl', errors);
  const query = new URLSearchParams({ v: '1', market: c.market });
  for (const key in fields) for (const value of ([] as unknown[]).concat(fields[key])) query.append(key, value + '');
  return c.sendTo + '/track.gif?' + query;
}
