import { resolveConfig, type BuyapowaConfig, type ResolvedConfig } from './config';
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

const LOGIN = ['auto', 'name', 'email', 'custom_field', 'marketing_opt_in', 'locale', 'signed_keys', 'signature'];
const SANDBOX =
  'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation';
const live = new Map<Element, (code?: BuyapowaErrorCode) => void>();
const shownErrors = new Set<HTMLElement>();
let warned = 0;

const element = (ref: unknown): HTMLElement | null =>
  typeof ref == 'string' ? document.getElementById(ref) : ref instanceof HTMLElement ? ref : null;

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
  let stop: (code?: BuyapowaErrorCode, message?: string) => void = () => {};
  const ready = quiet(
    new Promise<EmbedReady>((resolve, reject) => {
      if (!hasDom()) throw new BuyapowaError('unsupported_environment', 'embedReferAFriend: there is no window here; call it in the browser');
      let errorBox: HTMLElement | null = null;
      const fail = (code: BuyapowaErrorCode, message: string) => {
        if (code != 'destroyed') {
          if (errorBox) {
            errorBox.hidden = false;
            errorBox.style.display = 'block';
            shownErrors.add(errorBox);
          }
          log('error', message);
        }
        reject(new BuyapowaError(code, message));
      };
      try {
        errorBox = element(config && config.errorContainer);
        const c = resolveConfig(config, 'embedReferAFriend');
        const p = (params && typeof params == 'object' ? params : {}) as EmbedParams;
        const campaign = typeof p.campaign == 'string' ? p.campaign.trim() : '';
        if (!/^[\w.-]+$/.test(campaign))
          return fail('invalid_config', 'embedReferAFriend: ' + problem('campaign', 'your campaign slug, like "refer-a-friend"', p.campaign));
        const box = element(c.container || 'bp_div');
        if (!box)
          return fail(
            'container_not_found',
            'embedReferAFriend: ' + problem('container', 'an element or the id of one on this page, like "bp_div"', c.container || 'bp_div') + ' (no such element)',
          );
        if (errorBox && shownErrors.delete(errorBox)) errorBox.style.display = 'none';
        live.get(box)?.('destroyed');
        stop = mount(c, campaign, p, box, resolve, fail);
        live.set(box, stop);
      } catch (error) {
        fail((error as BuyapowaError).code || 'frame_failed', (error as Error).message);
      }
    }),
  );
  return { ready, destroy: () => stop('destroyed') };
}

function mount(
  c: ResolvedConfig,
  campaign: string,
  p: EmbedParams,
  box: HTMLElement,
  resolve: (value: EmbedReady) => void,
  fail: (code: BuyapowaErrorCode, message: string) => void,
) {
  const channel = uuid();
  const query: Record<string, string> = { market: c.market, channel, parent_origin: location.origin };
  if (p.locale) query.locale = String(p.locale);
  const forwarded = pageParams();
  const stored = readStoredReferral();
  if (!forwarded.bp_e && stored && stored.t.bp_e) forwarded.bp_e = stored.t.bp_e;
  const bp_p = forwarded.bp_p;
  delete forwarded.bp_p; // plain personal data: sent by postMessage, never in a URL
  const url = new URL(c.base + '/iaf/' + encodeURIComponent(campaign));
  url.search = new URLSearchParams({ ...forwarded, ...query }).toString();

  const frame = document.createElement('iframe');
  frame.title = c.title || 'Refer a friend';
  frame.setAttribute('allow', 'clipboard-write; web-share');
  frame.setAttribute('referrerpolicy', 'strict-origin');
  frame.setAttribute('sandbox', SANDBOX);
  frame.setAttribute('scrolling', 'no');
  const style = frame.style;
  style.width = '100%';
  style.height = '800px';
  style.border = '0';
  style.display = 'block';
  style.overflow = 'hidden';
  frame.src = url.href;

  let isReady = false;
  let height = 0;
  const timers: ReturnType<typeof setTimeout>[] = [];
  const where = `embedReferAFriend: campaign "${campaign}" at ${c.origin}`;

  const onMessage = (event: MessageEvent) => {
    const data = event.data;
    if (event.origin !== c.origin || event.source !== frame.contentWindow || !data || data.bp !== 1 || data.channel !== channel) return;
    if (data.type == 'ready' && !isReady) {
      isReady = true;
      timers.forEach(clearTimeout);
      const init: Record<string, unknown> = { bp: 1, type: 'init', channel };
      const login: Record<string, unknown> = {};
      const given = p as unknown as Record<string, unknown>;
      for (const key of LOGIN) if (given[key] != null) login[key] = given[key];
      if (login.email || login.name || login.auto) init.login = login;
      if (bp_p) init.params = { bp_p };
      frame.contentWindow!.postMessage(init, c.origin);
      log('debug', where + ' is ready');
      resolve({ campaign, iframe: frame });
    } else if (data.type == 'resize') {
      const next = Math.ceil(Number(data.height));
      // Ignore sub-pixel jitter so the page never jumps.
      if (next > 0 && next < 1e5 && Math.abs(next - height) > 1) style.height = (height = next) + 'px';
    } else if (data.type == 'error') {
      stop('campaign_not_found', `${where}: the platform says ${String(data.message || data.code)}`);
    }
  };

  const stop = (code?: BuyapowaErrorCode, message?: string) => {
    removeEventListener('message', onMessage);
    timers.forEach(clearTimeout);
    frame.remove();
    if (live.get(box) === stop) live.delete(box);
    if (!isReady && code) {
      isReady = true;
      fail(code, message || where + ': destroyed before it was ready');
    }
  };

  addEventListener('message', onMessage);
  frame.addEventListener('error', () => stop('frame_failed', where + ' failed to load'));
  // A frame refused by CSP or X-Frame-Options still fires load, but never says ready.
  frame.addEventListener('load', () => {
    if (!isReady)
      timers.push(setTimeout(() => stop('frame_failed', where + ' loaded without answering: is the URL right, and may this page frame it?'), 3000));
  });
  timers.push(setTimeout(() => stop('timeout', `${where} did not answer within ${c.timeout || 10000} ms`), c.timeout || 10000));
  box.appendChild(frame);
  warnings(c, box);
  return stop;
}

function warnings(c: ResolvedConfig, box: HTMLElement) {
  if (!(warned & 1) && getConsent() == 'granted' && !isSameSite(new URL(c.origin))) {
    warned |= 1;
    log(
      'warn',
      `the market domain ${new URL(c.origin).host} is not on this page's site (${location.host}), so its cookies are third-party and browsers may block them. Set up the cookie subdomain (e.g. bp.your-website.com) as the integration guide describes.`,
    );
  }
  const width = box.clientWidth;
  const viewport = document.documentElement.clientWidth;
  if (!(warned & 2) && width && (viewport > 900 ? width < 871 : width < viewport - 1)) {
    warned |= 2;
    log(
      'warn',
      `the container is ${width}px wide; the guide recommends at least 871px on desktop, the full screen width without margin or padding on mobile, and at least 800px of height.`,
    );
  }
}
