import { checkTimeout, resolveConfig, type BuyapowaConfig } from './config';
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

/** An element on the page; a container keeps the `stop` of the embed it holds. */
type Box = HTMLElement & { bpStop?: Stop };
type Stop = (code?: BuyapowaErrorCode, message?: string) => void;

let warnedSite: unknown;
let warnedWidth: unknown;

const element = (ref: unknown) => (typeof ref == 'string' ? document.getElementById(ref) : ref) as Box | null;

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
  let stop: Stop = () => {};
  return {
    ready: quiet(
      new Promise<EmbedReady>((resolve, reject) => {
        // Settled: the campaign said ready, or the embed failed or was destroyed.
        let done: unknown;
        let errorBox: Box | null | undefined;
        const fail = (code: BuyapowaErrorCode, message: string) => {
          if (!done) {
            done = 1;
            if (code != 'destroyed') {
              if (errorBox) (errorBox.hidden = false), (errorBox.style.display = 'block');
              log('error', message);
            }
            reject(new BuyapowaError(code, message));
          }
        };
        try {
          if (!hasDom()) return fail('unsupported_environment', 'embedReferAFriend: there is no document here; call it in the browser');
          // The error container is hidden until this embed fails.
          if ((errorBox = element(config?.errorContainer))) errorBox.style.display = 'none';
          const c = resolveConfig(config, 'embedReferAFriend', checkTimeout);
          const { campaign: slug, ...login } = params || ({} as EmbedParams);
          const campaign = String(slug || '').trim();
          const id = c.container || 'bp_div';
          const box = element(id);
          if (!/^[\w.-]+$/.test(campaign))
            return fail('invalid_config', 'embedReferAFriend: ' + problem('campaign', 'a slug like "refer-a-friend"', slug));
          if (!box) return fail('container_not_found', 'embedReferAFriend: ' + problem('container', 'an element on this page, or its id', id));
          box.bpStop?.();

          const channel = uuid();
          const stored = readStoredReferral()?.t.bp_e;
          const ms = c.timeout || 1e4;
          // bp_p is plain personal data: posted after the handshake, never in a URL.
          const { bp_p, ...query }: Record<string, string> = {
            ...(stored && { bp_e: stored }),
            ...pageParams(),
            ...(login.locale && { locale: login.locale }),
            market: c.market,
            channel,
            parent_origin: location.origin,
          };
          const frame = document.createElement('iframe');
          const style = frame.style;
          const where = `embedReferAFriend: campaign "${campaign}" at ${c.origin}`;
          // A failure unless the campaign is ready (or the embed gone) by then.
          const after = (delay: number, code: BuyapowaErrorCode, message: string) => setTimeout(() => done || stop(code, where + message), delay);
          const attributes: Record<string, string> = {
            title: c.title || 'Refer a friend',
            allow: 'clipboard-write; web-share',
            referrerpolicy: 'strict-origin',
            sandbox: 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation',
            scrolling: 'no',
            src: c.base + '/iaf/' + campaign + '?' + new URLSearchParams(query),
          };
          let height = 0;
          for (const name in attributes) frame.setAttribute(name, attributes[name]);
          style.cssText = 'width:100%;height:800px;border:0;display:block';

          const onMessage = ({ origin, source, data }: MessageEvent) => {
            if (origin == c.origin && source == frame.contentWindow && data?.channel == channel) {
              const type = data.type;
              // Whole pixels, and no sub-pixel jitter, so the page never jumps.
              const next = Math.ceil(data.height);
              if (type == 'ready' && !done) {
                done = 1;
                resolve({ campaign, iframe: frame });
                log('debug', where + ' is ready');
                (source as Window).postMessage({ bp: 1, type: 'init', channel, login, params: { bp_p } }, c.origin);
              }
              if (type == 'resize' && next > 0 && next < 1e5 && (next - height) ** 2 > 1) style.height = (height = next) + 'px';
              if (type == 'error') stop('campaign_not_found', where + ': ' + (data.message || data.code));
            }
          };
          box.bpStop = stop = (code = 'destroyed', message = where + ': destroyed before it was ready') => {
            removeEventListener('message', onMessage);
            frame.remove();
            fail(code, message);
          };
          addEventListener('message', onMessage);
          frame.onerror = () => after(0, 'frame_failed', ' failed to load');
          // A frame refused by CSP or X-Frame-Options still fires load, but never says ready.
          frame.onload = () => after(3e3, 'frame_failed', ' loaded but did not answer (wrong URL, or framing refused?)');
          after(ms, 'timeout', ` did not answer within ${ms} ms`);
          box.append(frame);

          // Same site when the page is on the market host's parent domain (bp.shop.com → shop.com,
          // shop.com → shop.com): the guide's setup, checked without a public suffix list or cookie.
          const url = new URL(c.origin);
          if (!warnedSite && (url.protocol != location.protocol || !('.' + location.hostname).endsWith(('.' + url.hostname).replace(/^\.[^.]+(?=\.[^.]+\.)/, '')))) {
            warnedSite = 1;
            log('warn', `${c.origin} is not on this page's site: its cookies are third-party and may be blocked (see the guide's cookie subdomain)`);
          }
          const width = box.clientWidth;
          const viewport = document.documentElement.clientWidth;
          if (!warnedWidth && width && width < (viewport > 900 ? 871 : viewport - 1)) {
            warnedWidth = 1;
            log('warn', `#${box.id} is ${width}px wide; the guide asks for 871px (desktop) or the full width (mobile)`);
          }
        } catch (error) {
          fail((error as BuyapowaError).code || 'frame_failed', (error as Error).message);
        }
      }),
    ),
    destroy: () => stop(),
  };
}
