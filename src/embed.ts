import { checkTimeout, resolveConfig, type BuyapowaConfig } from './config';
import { getConsent } from './consent';
import { isSameSite } from './cookie-domain';
import { hasDom, quiet, uuid } from './env';
import { BuyapowaError, problem, type BuyapowaErrorCode } from './errors';
import { log } from './log';
import { pageParams } from './page-params';
import { readStoredReferral } from './referral';

/**
 * What `embedReferAFriend` takes: the guide's embed parameters.
 *
 * @example
 * ```ts
 * { campaign: 'refer-a-friend', locale: 'en' }
 * ```
 */
export interface EmbedParams {
  /** The campaign slug. Required. */
  campaign: string;
  /** The visitor's locale, e.g. `"en"`. Default: the market's locale. */
  locale?: string;
  /** Seamless login: sign the customer in automatically. */
  auto?: boolean | string;
  /** Seamless login: `"FirstName LastName"`. */
  name?: string;
  /** Seamless login: the customer's email address. */
  email?: string;
  /** Seamless login: the custom field's value, if the campaign has one. */
  custom_field?: string;
  /** Seamless login: `"true"` or `"false"`. Default: false. */
  marketing_opt_in?: boolean | string;
  /** Seamless login: comma-separated signed field names; at least `"name, email"`. */
  signed_keys?: string;
  /** Seamless login: hex SHA-256 signature, computed on your server. */
  signature?: string;
}

/** What the embed's `ready` promise resolves with. */
export interface EmbedReady {
  /** The campaign slug. */
  campaign: string;
  /** The campaign iframe. */
  iframe: HTMLIFrameElement;
}

/**
 * A running embed.
 *
 * @example
 * ```ts
 * const embed = embedReferAFriend(config, { campaign: 'refer-a-friend' });
 * embed.ready.then(() => console.log('shown'), (error) => console.warn(error.code));
 * // later, when the route unmounts:
 * embed.destroy();
 * ```
 */
export interface EmbedHandle {
  /** Resolves once the campaign answered the handshake; rejects with a {@link BuyapowaError}. */
  ready: Promise<EmbedReady>;
  /** Removes the iframe and every listener. Safe to call twice. */
  destroy(): void;
}

const live = new Map<Element, (code?: BuyapowaErrorCode) => void>();
let warned = 0;

const element = (ref: unknown) => (typeof ref == 'string' ? document.getElementById(ref) : (ref as HTMLElement | null));

/**
 * Embeds the refer-a-friend campaign as an iframe in the container (`#bp_div` by default).
 * Embedding again into the same container replaces the previous embed.
 *
 * Seamless-login fields never appear in the iframe URL: they are posted to the campaign
 * after the handshake. When the embed fails, the error container is shown and `ready` rejects.
 *
 * @param config - `{ url, market }` plus options; `container`, `errorContainer`, `timeout`, `title`.
 * @param params - The campaign slug, locale and optional seamless-login fields.
 * @returns A handle with the `ready` promise and `destroy()`.
 * @example
 * ```ts
 * const embed = embedReferAFriend(
 *   { url: 'https://bp.your-website.com', market: 'your-market', errorContainer: 'bp_error' },
 *   { campaign: 'refer-a-friend', locale: 'en' },
 * );
 * ```
 */
export function embedReferAFriend(config: BuyapowaConfig, params: EmbedParams): EmbedHandle {
  let stop = (code?: BuyapowaErrorCode, message?: string) => {};
  const ready = quiet(
    new Promise<EmbedReady>((resolve, reject) => {
      let isReady = false;
      const fail = (code: BuyapowaErrorCode, message: string) => {
        if (code != 'destroyed') {
          const box = hasDom() && element(config && config.errorContainer);
          if (box) (box.hidden = false), (box.style.display = 'block'), (box.dataset.bpShown = '1');
          log('error', message);
        }
        isReady = true;
        reject(new BuyapowaError(code, message));
      };
      try {
        if (!hasDom()) return fail('unsupported_environment', 'embedReferAFriend: there is no document here; call it in the browser');
        const c = resolveConfig(config, 'embedReferAFriend', checkTimeout);
        const { campaign: slug, ...login } = params || ({} as EmbedParams);
        const campaign = String(slug || '').trim();
        const box = element(c.container || 'bp_div');
        const errorBox = element(c.errorContainer);
        if (!/^[\w.-]+$/.test(campaign))
          return fail('invalid_config', 'embedReferAFriend: ' + problem('campaign', 'your campaign slug, like "refer-a-friend"', slug));
        if (!box)
          return fail('container_not_found', 'embedReferAFriend: ' + problem('container', 'an element or the id of one on this page', c.container || 'bp_div'));
        // A new embed hides the error a previous one showed, and replaces the previous embed.
        if (errorBox?.dataset.bpShown) (errorBox.style.display = 'none'), delete errorBox.dataset.bpShown;
        live.get(box)?.('destroyed');

        const channel = uuid();
        const query = pageParams();
        const stored = readStoredReferral();
        const bp_p = query.bp_p;
        delete query.bp_p; // plain personal data: posted after the handshake, never in a URL
        if (!query.bp_e && stored?.t.bp_e) query.bp_e = stored.t.bp_e;
        Object.assign(query, { market: c.market, channel, parent_origin: location.origin }, login.locale ? { locale: login.locale } : {});
        const frame = document.createElement('iframe');
        const style = frame.style;
        const timers: ReturnType<typeof setTimeout>[] = [];
        const where = `embedReferAFriend: campaign "${campaign}" at ${c.origin}`;
        let height = 0;
        const attributes = {
          title: c.title || 'Refer a friend',
          allow: 'clipboard-write; web-share',
          referrerpolicy: 'strict-origin',
          sandbox: 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation',
          scrolling: 'no',
          src: c.base + '/iaf/' + encodeURIComponent(campaign) + '?' + new URLSearchParams(query),
        };
        for (const [name, value] of Object.entries(attributes)) frame.setAttribute(name, value);
        style.cssText = 'width:100%;height:800px;border:0;display:block;overflow:hidden';

        const onMessage = (event: MessageEvent) => {
          const data = event.data || {};
          if (event.origin != c.origin || event.source != frame.contentWindow || data.bp != 1 || data.channel != channel) return;
          if (data.type == 'ready' && !isReady) {
            isReady = true;
            timers.forEach(clearTimeout);
            frame.contentWindow!.postMessage(
              { bp: 1, type: 'init', channel, login: login.email || login.name ? login : undefined, params: bp_p ? { bp_p } : undefined },
              c.origin,
            );
            log('debug', where + ' is ready');
            resolve({ campaign, iframe: frame });
          }
          // Whole pixels, and no sub-pixel jitter, so the page never jumps.
          const next = Math.ceil(data.height);
          if (data.type == 'resize' && next > 0 && next < 1e5 && Math.abs(next - height) > 1) style.height = (height = next) + 'px';
          if (data.type == 'error') stop('campaign_not_found', `${where}: ${data.message || data.code}`);
        };
        stop = (code, message) => {
          removeEventListener('message', onMessage);
          timers.forEach(clearTimeout);
          frame.remove();
          if (live.get(box) == stop) live.delete(box);
          if (!isReady && code) fail(code, message || where + ': destroyed before it was ready');
          isReady = true;
        };
        live.set(box, stop);
        addEventListener('message', onMessage);
        frame.onerror = () => stop('frame_failed', where + ' failed to load');
        // A frame refused by CSP or X-Frame-Options still fires load, but never says ready.
        frame.onload = () =>
          isReady || timers.push(setTimeout(() => stop('frame_failed', where + ' loaded but did not answer: is the URL right, and may this page frame it?'), 3e3));
        timers.push(setTimeout(() => stop('timeout', `${where} did not answer within ${c.timeout || 1e4} ms`), c.timeout || 1e4));
        box.appendChild(frame);

        if (!(warned & 1) && getConsent() == 'granted' && !isSameSite(new URL(c.origin))) {
          warned |= 1;
          log('warn', `${c.origin} is not on this page's site, so its cookies are third-party and may be blocked: set up the cookie subdomain (e.g. bp.your-website.com) as the integration guide describes.`);
        }
        const width = box.clientWidth;
        const viewport = document.documentElement.clientWidth;
        if (!(warned & 2) && width && (viewport > 900 ? width < 871 : width < viewport - 1)) {
          warned |= 2;
          log('warn', `#${box.id} is ${width}px wide; the guide recommends at least 871px on desktop, the full width without margin or padding on mobile, and 800px of height.`);
        }
      } catch (error) {
        fail((error as BuyapowaError).code || 'frame_failed', (error as Error).message);
      }
    }),
  );
  return { ready, destroy: () => stop('destroyed') };
}
