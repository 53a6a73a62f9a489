/**
 * buyapowa-sdk/element: the `<buyapowa-refer-a-friend>` custom element, for any framework (Vue,
 * Svelte, Angular) or plain HTML. Importing this module defines the element (a side effect);
 * on a server, where there is no `HTMLElement`, it defines nothing.
 *
 * @example
 * ```html
 * <script type="module">import 'buyapowa-sdk/element';</script>
 * <buyapowa-refer-a-friend url="https://bp.your-website.com" market="your-market" campaign="refer-a-friend" locale="en">
 *   <p data-error hidden>The campaign could not be loaded. Please try again later.</p>
 * </buyapowa-refer-a-friend>
 * ```
 *
 * @packageDocumentation
 */
import { embedReferAFriend, type EmbedHandle, type EmbedParams, type EmbedReady } from './browser/embed';
import type { BuyapowaError } from './core/errors';

export type { EmbedReady };
export { BuyapowaError } from './core/errors';
export type { BuyapowaErrorCode } from './core/errors';

/** The element's tag name. */
export const TAG_NAME = 'buyapowa-refer-a-friend';

/** The attributes the element reads; each is also a property of the same name. */
const ATTRIBUTES = ['url', 'market', 'campaign', 'locale', 'relay'] as const;

/**
 * Seamless login: the embed's sign-in fields, computed and signed on your server. Set them
 * through the element's `login` property, never as attributes, so no personal data is in the DOM.
 *
 * @example
 * ```ts
 * element.login = { auto: true, name: 'Jane Doe', email: 'jane@doe.com', signed_keys: 'name, email', signature };
 * ```
 */
export type ReferAFriendLogin = Omit<EmbedParams, 'campaign' | 'locale'>;

/** The element's events: `ready` once the campaign is shown, `error` when the embed fails. */
export interface BuyapowaReferAFriendEventMap extends Omit<HTMLElementEventMap, 'error'> {
  ready: CustomEvent<EmbedReady>;
  error: CustomEvent<BuyapowaError>;
}

// On a server there is no HTMLElement: a stand-in keeps this module importable there.
const Base: typeof HTMLElement = typeof HTMLElement === 'function' ? HTMLElement : (class {} as unknown as typeof HTMLElement);

/**
 * `<buyapowa-refer-a-friend url market campaign locale relay>`: embeds the refer-a-friend
 * campaign inside itself. A change of any attribute (or property of the same name), or of
 * `login`, embeds again; removing the element removes the iframe and every listener. Changes
 * made in one task give one embed. A child with the `data-error` attribute is the error
 * container: hidden while the campaign loads, shown if it fails.
 *
 * Events (not bubbling): `ready` (`detail`: {@link EmbedReady}) and `error` (`detail`: a
 * {@link BuyapowaError}: `timeout`, `frame_failed`, `invalid_config`…). Failures are also
 * logged as one `[Buyapowa]` line; the element never throws into the page.
 *
 * @example
 * ```ts
 * import 'buyapowa-sdk/element';
 *
 * const element = document.createElement('buyapowa-refer-a-friend');
 * Object.assign(element, { url: 'https://bp.your-website.com', market: 'your-market', campaign: 'refer-a-friend' });
 * element.login = { name: 'Jane Doe', email: 'jane@doe.com', signed_keys: 'name, email', signature };
 * element.addEventListener('error', (event) => console.warn(event.detail.code));
 * document.querySelector('main')!.append(element);
 * ```
 */
// Merged with the interface below, which only adds typed overloads of addEventListener (as lib.dom does).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class BuyapowaReferAFriendElement extends Base {
  /** The attributes whose changes embed again. */
  static readonly observedAttributes: readonly string[] = ATTRIBUTES;

  /** The market domain, e.g. `"https://bp.your-website.com"` (the `url` attribute). */
  declare url: string | null;
  /** The market id (the `market` attribute). */
  declare market: string | null;
  /** The campaign slug (the `campaign` attribute). */
  declare campaign: string | null;
  /** The visitor's locale, e.g. `"en"` (the `locale` attribute). */
  declare locale: string | null;
  /** Your first-party relay, e.g. `"/buyapowa"` (the `relay` attribute). */
  declare relay: string | null;

  private _login?: ReferAFriendLogin;
  /** `login` as JSON with sorted keys: an equal object does not embed again. */
  private _loginKey = '{}';
  private _embed?: EmbedHandle;
  private _box?: HTMLDivElement;
  private _queued = false;

  /** Seamless login (see {@link ReferAFriendLogin}); setting an object with other values embeds again. */
  get login(): ReferAFriendLogin | undefined {
    return this._login;
  }
  set login(value: ReferAFriendLogin | null | undefined) {
    const login = value || undefined;
    const key = JSON.stringify(login || {}, Object.keys(login || {}).sort());
    this._login = login;
    if (key !== this._loginKey) {
      this._loginKey = key;
      this._update();
    }
  }

  /** @internal */
  connectedCallback(): void {
    // Properties a framework set before the element was defined shadow the accessors: move them.
    for (const name of ['login', ...ATTRIBUTES] as const) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        const value = this[name];
        delete this[name];
        (this as Record<typeof name, unknown>)[name] = value;
      }
    }
    this._update();
  }

  /** @internal */
  disconnectedCallback(): void {
    this._destroy();
  }

  /** @internal */
  attributeChangedCallback(_name: string, before: string | null, after: string | null): void {
    if (before !== after) this._update();
  }

  /** Embeds once per task, whatever changed in it. */
  private _update() {
    if (this._queued) return;
    this._queued = true;
    queueMicrotask(() => {
      this._queued = false;
      if (this.isConnected) this._render();
    });
  }

  private _destroy() {
    this._embed?.destroy();
    this._embed = undefined;
  }

  private _render() {
    this._destroy();
    const box = (this._box ||= document.createElement('div'));
    if (box.parentNode !== this) this.append(box);
    // A missing attribute is undefined, as the embed's messages call it.
    const [url, market, campaign, locale, relay] = ATTRIBUTES.map((name) => this.getAttribute(name) || undefined) as string[];
    const errorContainer = this.querySelector<HTMLElement>('[data-error]') || undefined;
    const embed = (this._embed = embedReferAFriend({ url, market, relay, container: box, errorContainer }, { ...this._login, campaign, locale }));
    const tell = (type: 'ready' | 'error', detail: EmbedReady | BuyapowaError) => {
      if (this._embed === embed) this.dispatchEvent(new CustomEvent(type, { detail }));
    };
    embed.ready.then(
      (ready) => tell('ready', ready),
      (error) => tell('error', error),
    );
  }
}

/** The element's typed events, merged into the class. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface BuyapowaReferAFriendElement {
  /** Listens to `ready` and `error` with their `detail` typed, or to any other event. */
  addEventListener<K extends keyof BuyapowaReferAFriendEventMap>(
    type: K,
    listener: (this: BuyapowaReferAFriendElement, event: BuyapowaReferAFriendEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  /** Stops listening. */
  removeEventListener<K extends keyof BuyapowaReferAFriendEventMap>(
    type: K,
    listener: (this: BuyapowaReferAFriendElement, event: BuyapowaReferAFriendEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

for (const name of ATTRIBUTES)
  Object.defineProperty(BuyapowaReferAFriendElement.prototype, name, {
    configurable: true,
    get(this: HTMLElement) {
      return this.getAttribute(name);
    },
    set(this: HTMLElement, value: string | null | undefined) {
      if (value == null) this.removeAttribute(name);
      else this.setAttribute(name, value);
    },
  });

declare global {
  interface HTMLElementTagNameMap {
    'buyapowa-refer-a-friend': BuyapowaReferAFriendElement;
  }
}

// Once per page, whichever copy (npm or script tag) comes first; nothing on a server.
if (typeof customElements === 'object' && !customElements.get(TAG_NAME)) customElements.define(TAG_NAME, BuyapowaReferAFriendElement);
