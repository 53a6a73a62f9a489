import { resolveConfig, type BuyapowaConfig, type ResolvedConfig } from './config';
import { quiet, uuid } from '../core/env';
import { hasDom } from './page';
import { BuyapowaError, type BuyapowaErrorCode } from '../core/errors';
import { browserError, ERRORS_DOCS } from '../core/problems';
import { EMBED, embedMessage, NO_DOCUMENT, noHandshakeWarning } from '../core/messages';
import { adviseOnSiteAndWidth } from './embed-advice';
import { asBuyapowaError, checkEmbedOptions, findContainer, findErrorBox, readParams, WHERE, type LoginValue } from './embed-params';
import { log } from './log';
import { embedWording } from './embed-wording';
import { pageParams } from './page-params';
import { readStoredReferral } from './stored-referral';
import { session } from './session';

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
  /**
   * `true` when the campaign answered the SDK's handshake (docs/protocol.md §1): the iframe
   * follows the campaign's height and the seamless-login fields were sent.
   *
   * `false` when the campaign page loaded and showed signs of life but never answered the
   * handshake (a campaign page that does not implement the protocol): the iframe stays at a
   * fixed height, without auto-height and without seamless login, and one warning is logged.
   */
  handshake: boolean;
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
  /** Resolves once the campaign is shown (see {@link EmbedReady.handshake}); rejects with a {@link BuyapowaError}. */
  ready: Promise<EmbedReady>;
  /** Removes the iframe and every listener. Safe to call twice. */
  destroy(): void;
}

const DEFAULT_TITLE = 'Refer a friend';
/** How long the embed waits for the handshake by default (the `timeout` option). */
const DEFAULT_TIMEOUT_MS = 10 * 1000;
/** How long after the iframe's `load` the campaign has to say `ready`. */
const HANDSHAKE_AFTER_LOAD_MS = 3 * 1000;
/** The iframe's height until the campaign reports its own, and for good without a handshake. @internal */
export const INITIAL_HEIGHT_PX = 800;
/** Reported heights at or above this are nonsense and ignored. */
const MAX_HEIGHT_PX = 100_000;
/** Permissions the campaign uses (copy the share link, the native share sheet), when the browser knows them. */
const WANTED_FEATURES = ['clipboard-write', 'web-share'];
const SANDBOX = 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation';

/** True in the script tag's embed and embed-explain chunks alone (src/browser/embed-wording.ts); npm bundles leave out what it guards. */
declare const __EMBED_WORDING__: boolean;

/** Where an embed is in its life. Only `starting` can still resolve or reject `ready`. */
type EmbedState = 'starting' | 'shown' | 'failed' | 'destroyed';

/**
 * Embeds the refer-a-friend campaign as an iframe in the container (`#bp_div` by default).
 * Embedding again into the same container replaces the previous embed.
 *
 * Seamless-login fields never appear in the iframe URL: they are posted to the campaign
 * after the handshake. When the embed fails, the error container is shown and `ready` rejects.
 * Whatever it is given, it never throws, and `ready` rejects only with a {@link BuyapowaError}.
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
  let state: EmbedState = 'starting';
  let where = WHERE;
  let errorBox: HTMLElement | null = null;
  // Removes what the embed put on the page; replaced once it has put something there.
  let cleanUp = () => {};
  let resolveReady: (ready: EmbedReady) => void = () => {};
  let rejectReady: (error: BuyapowaError) => void = () => {};
  const ready = new Promise<EmbedReady>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });

  /** Ends the embed once: removes the iframe, listeners and timers; a failure shows the error container. */
  function end(next: 'failed' | 'destroyed', error: BuyapowaError) {
    if (state === 'failed' || state === 'destroyed') return;
    const wasStarting = state === 'starting';
    state = next;
    cleanUp();
    if (next === 'failed') {
      showErrorBox(errorBox);
      // In the script tag, the error is what the line is about: its code, detail and where.
      if (__EMBED_WORDING__) embedWording()?.say('error', error.message, error);
      else log('error', error.message);
    }
    if (wasStarting) rejectReady(error);
  }
  /** The embed's error: in development, `where` and what happened (`detail`: the campaign's message, the timeout…). */
  const error = (code: BuyapowaErrorCode, detail?: string | number) =>
    new BuyapowaError(code, process.env.NODE_ENV !== 'production' ? where + embedMessage(code, detail) : `${WHERE} (${ERRORS_DOCS}${code})`);
  const fail = (code: BuyapowaErrorCode, detail?: string | number) =>
    end('failed', __EMBED_WORDING__ ? Object.assign(error(code, detail), { detail, where }) : error(code, detail));
  const destroy = () => end('destroyed', error('destroyed'));
  /** The campaign is on screen: with the handshake, or without it (see {@link EmbedReady.handshake}). */
  const shown = (result: EmbedReady) => {
    if (state !== 'starting') return false;
    state = 'shown';
    resolveReady(result);
    return true;
  };

  try {
    if (!hasDom()) throw browserError('unsupported_environment', WHERE, process.env.NODE_ENV !== 'production' ? NO_DOCUMENT : '');
    // The error container is hidden until this embed fails.
    errorBox = findErrorBox(config);
    hideErrorBox(errorBox);
    const settings = resolveConfig(config, WHERE, checkEmbedOptions);
    const { campaign, login } = readParams(params);
    const container = findContainer(settings.container);
    where = `${WHERE}: campaign "${campaign}" at ${settings.origin}`;
    const embedsByContainer = (session().embeds ||= new WeakMap());
    embedsByContainer.get(container)?.();

    const channel = uuid();
    const { src, bpP } = frameUrl(settings, campaign, login, channel);
    const frame = createFrame(settings.title || DEFAULT_TITLE, src);
    const timers = new FailureTimers();
    let spoke = false;
    const stopListening = listenToCampaign(frame, settings.origin, channel, {
      spoke: () => (spoke = true),
      ready: (campaignWindow) => {
        if (!shown({ campaign, iframe: frame, handshake: true })) return;
        timers.clear();
        log('debug', where + ' is ready');
        postInit(campaignWindow, settings.origin, channel, login, bpP);
      },
      resize: (height) => setFrameHeight(frame, height),
      error: (message) => fail('campaign_not_found', message),
    });
    cleanUp = () => {
      timers.clear();
      stopListening();
      frame.remove();
      if (embedsByContainer.get(container) === destroy) embedsByContainer.delete(container);
    };
    embedsByContainer.set(container, destroy);

    // `timeout` is checked: milliseconds, as a number or a numeric string.
    armFailureTimers(frame, timers, Number(settings.timeout) || DEFAULT_TIMEOUT_MS, {
      isStarting: () => state === 'starting',
      noHandshake: () => handleMissingHandshake(settings.origin, spoke),
      fail,
      shownWithoutHandshake: (outcome) => {
        if (!shown({ campaign, iframe: frame, handshake: false })) return;
        timers.clear();
        if (__EMBED_WORDING__) embedWording()?.say('warn', `${WHERE} (${ERRORS_DOCS}no_handshake)`, { code: 'no_handshake', detail: outcome, where });
        else
          log(
            'warn',
            process.env.NODE_ENV !== 'production'
              ? where + noHandshakeWarning(INITIAL_HEIGHT_PX, outcome === 'quiet')
              : `${WHERE} (${ERRORS_DOCS}no_handshake)`,
          );
      },
    });
    container.append(frame);
    if (process.env.NODE_ENV !== 'production' || __EMBED_WORDING__) adviseOnSiteAndWidth(settings.origin, container);
  } catch (error) {
    end('failed', asBuyapowaError(error));
  }
  return { ready: quiet(ready), destroy };
}

// ---- The iframe -------------------------------------------------------------------------

/**
 * The campaign URL (docs/protocol.md §1.1). `bp_p` is plain personal data: it is returned
 * apart, to be posted after the handshake, never put in a URL.
 */
function frameUrl(settings: ResolvedConfig, campaign: string, login: Record<string, LoginValue>, channel: string) {
  const stored = readStoredReferral()?.t.bp_e;
  const { bp_p: bpP, ...query }: Record<string, string> = {
    ...(stored && { bp_e: stored }),
    ...pageParams(),
    ...(login.locale != null && login.locale !== '' && { locale: String(login.locale) }),
    market: settings.market,
    channel,
    parent_origin: location.origin,
  };
  return { src: `${settings.base}/iaf/${campaign}?${new URLSearchParams(query)}`, bpP };
}

/**
 * The `allow` list: only features this browser knows, so it logs no "Unrecognized feature"
 * (Chromium without the Web Share API, e.g. on Linux). Without the Feature Policy API
 * (Firefox, Safari), `web-share` is asked for where `navigator.share` exists.
 */
function allowedFeatures(): string {
  let known: string[] | undefined;
  try {
    known = (document as Document & { featurePolicy?: { features(): string[] } }).featurePolicy?.features();
  } catch {
    known = undefined;
  }
  return WANTED_FEATURES.filter((feature) => (known ? known.includes(feature) : feature !== 'web-share' || 'share' in navigator)).join('; ');
}

function createFrame(title: string, src: string): HTMLIFrameElement {
  const frame = document.createElement('iframe');
  const attributes: Record<string, string> = {
    title,
    allow: allowedFeatures(),
    referrerpolicy: 'strict-origin',
    sandbox: SANDBOX,
    scrolling: 'no',
    src,
  };
  for (const name in attributes) if (attributes[name]) frame.setAttribute(name, attributes[name]);
  frame.style.cssText = `width:100%;height:${INITIAL_HEIGHT_PX}px;border:0;display:block`;
  return frame;
}

/** Follows the campaign's height in whole pixels, ignoring sub-pixel jitter so the page never jumps. */
function setFrameHeight(frame: HTMLIFrameElement, reported: number) {
  const next = Math.ceil(reported);
  const current = parseFloat(frame.style.height) || 0;
  if (next > 0 && next < MAX_HEIGHT_PX && Math.abs(next - current) > 1) frame.style.height = next + 'px';
}

function showErrorBox(box: HTMLElement | null) {
  try {
    if (box) {
      box.hidden = false;
      box.style.display = 'block';
    }
  } catch {
    // An element the page replaced with something odd: the error is still logged.
  }
}

function hideErrorBox(box: HTMLElement | null) {
  if (box) box.style.display = 'none';
}

// ---- The handshake (docs/protocol.md §1.2) -----------------------------------------------

interface CampaignListener {
  /** Any message from the campaign window, ours or not: the page is alive. */
  spoke(): void;
  ready(campaignWindow: Window): void;
  resize(height: number): void;
  error(message: string): void;
}

/** Listens to the campaign iframe only: exact origin, its window, this embed's channel. Returns the stop. */
function listenToCampaign(frame: HTMLIFrameElement, origin: string, channel: string, on: CampaignListener): () => void {
  const onMessage = ({ origin: from, source, data }: MessageEvent) => {
    if (from !== origin || !source || source !== frame.contentWindow) return;
    on.spoke();
    if (typeof data !== 'object' || data === null || data.channel !== channel) return;
    if (data.type === 'ready') on.ready(source as Window);
    if (data.type === 'resize' && typeof data.height === 'number') on.resize(data.height);
    if (data.type === 'error') on.error(typeof data.message === 'string' ? data.message : String(data.code));
  };
  addEventListener('message', onMessage);
  return () => removeEventListener('message', onMessage);
}

/** Answers `ready` with the seamless-login fields and `bp_p`; a failure is logged, never thrown. */
function postInit(campaignWindow: Window, origin: string, channel: string, login: Record<string, LoginValue>, bpP: string | undefined) {
  try {
    campaignWindow.postMessage({ bp: 1, type: 'init', channel, login, params: { bp_p: bpP } }, origin);
  } catch (error) {
    log('error', WHERE + (process.env.NODE_ENV !== 'production' ? EMBED.login : ''), error);
  }
}

// ---- Failure timers and the missing handshake ---------------------------------------------

/** The embed's pending timers, cleared together once the campaign is shown or the embed ends. */
class FailureTimers {
  private readonly ids: ReturnType<typeof setTimeout>[] = [];
  after(ms: number, run: () => void) {
    this.ids.push(setTimeout(run, ms));
  }
  clear() {
    for (const id of this.ids.splice(0)) clearTimeout(id);
  }
}

interface FailureHandlers {
  /** True while the campaign is neither shown nor failed. */
  isStarting(): boolean;
  /** Finds out why a loaded page did not answer. */
  noHandshake(): Promise<MissingHandshake>;
  fail(code: BuyapowaErrorCode, detail?: string | number): void;
  shownWithoutHandshake(outcome: 'silent' | 'quiet'): void;
}

/**
 * The embed's failure paths: no handshake within `timeout`; the iframe's `error`; and a page that
 * loaded but did not say `ready` within {@link HANDSHAKE_AFTER_LOAD_MS} (see {@link MissingHandshake}).
 */
function armFailureTimers(frame: HTMLIFrameElement, timers: FailureTimers, timeout: number, on: FailureHandlers) {
  timers.after(timeout, () => on.fail('timeout', timeout));
  frame.addEventListener('error', () => on.fail('frame_failed'));
  frame.addEventListener('load', () => {
    if (on.isStarting())
      timers.after(HANDSHAKE_AFTER_LOAD_MS, () =>
        on.noHandshake().then((outcome) => {
          if (outcome === 'unreachable') on.fail('frame_failed', 'unreachable');
          else on.shownWithoutHandshake(outcome);
        }),
      );
  });
}

/**
 * Why a loaded campaign page did not answer the handshake:
 * - `silent`: it posted messages of its own (it runs, it just doesn't speak docs/protocol.md §1);
 * - `quiet`: it posted nothing, and the market domain answers: a campaign page that doesn't speak
 *   the protocol, or a frame refused by X-Frame-Options / CSP frame-ancestors (which fires `load`
 *   too: browsers hide on purpose which of the two it was). Kept, like `silent`: tearing down a
 *   real campaign page is worse than showing a refused frame, and the warning names both;
 * - `unreachable`: the market domain does not answer at all (the iframe shows the browser's error page).
 */
type MissingHandshake = 'silent' | 'quiet' | 'unreachable';

async function handleMissingHandshake(origin: string, spoke: boolean): Promise<MissingHandshake> {
  if (spoke) return 'silent';
  return (await isReachable(origin)) ? 'quiet' : 'unreachable';
}

/** A `no-cors` request to the market domain: it fails only when the host cannot be reached. */
async function isReachable(origin: string): Promise<boolean> {
  try {
    await fetch(origin + '/', { mode: 'no-cors', credentials: 'omit', cache: 'no-store' });
    return true;
  } catch {
    return false;
  }
}
