import { useEffect, useRef, type ReactElement, type ReactNode } from 'react';
import { embedReferAFriend, type EmbedParams, type EmbedReady } from '../browser/embed';
import type { BuyapowaError } from '../core/errors';
import { log } from '../browser/log';
import { missingProvider, useConfig } from './context';

/**
 * Seamless login: the embed's sign-in fields, computed and signed on your server. They are
 * posted to the campaign after the handshake, never put in a URL or in the DOM.
 *
 * @example
 * ```ts
 * const login: ReferAFriendLogin = { auto: true, name: 'Jane Doe', email: 'jane@doe.com', signed_keys: 'name, email', signature };
 * ```
 */
export type ReferAFriendLogin = Omit<EmbedParams, 'campaign' | 'locale'>;

/** The props of {@link ReferAFriend}. */
export interface ReferAFriendProps {
  /** The campaign slug, e.g. `"refer-a-friend"`. Changing it embeds the new campaign. */
  campaign: string;
  /** The visitor's locale, e.g. `"en"`. Default: the market's locale. */
  locale?: string;
  /** Seamless login (see {@link ReferAFriendLogin}); compared by value, so an inline object literal is fine. */
  login?: ReferAFriendLogin;
  /** Called once the campaign is shown. */
  onReady?: (ready: EmbedReady) => void;
  /** Called when the embed fails (not when it is unmounted or replaced): `timeout`, `frame_failed`, `invalid_config`… */
  onError?: (error: BuyapowaError) => void;
  /** The class of the element that holds the campaign iframe and the fallback. */
  className?: string;
  /** Shown in place of the campaign when the embed fails. Default: nothing. */
  fallback?: ReactNode;
}

/**
 * The refer-a-friend campaign, in an iframe from your market domain. On the server (and in the
 * first render before hydration) it renders only its empty container; in the browser it embeds
 * the campaign into it. Unmounting removes the iframe; a new `campaign`, `locale` or `login`
 * embeds again. Under `<StrictMode>` it still ends with exactly one iframe.
 *
 * @example
 * ```tsx
 * <BuyapowaProvider config={{ url: 'https://bp.your-website.com', market: 'your-market' }}>
 *   <ReferAFriend
 *     campaign="refer-a-friend"
 *     locale="en"
 *     login={customer && { auto: true, name: customer.name, email: customer.email, signed_keys: 'name, email', signature: customer.signature }}
 *     fallback={<p>The campaign could not be loaded. Please try again later.</p>}
 *     onError={(error) => console.warn(error.code)}
 *   />
 * </BuyapowaProvider>
 * ```
 */
export function ReferAFriend({ campaign, locale, login, onReady, onError, className, fallback }: ReferAFriendProps): ReactElement {
  const config = useConfig();
  const box = useRef<HTMLDivElement>(null);
  const errorBox = useRef<HTMLDivElement>(null);
  // The latest callbacks: a new function each render does not embed again.
  const on = useRef({ onReady, onError });
  useEffect(() => {
    on.current = { onReady, onError };
  });
  // The embed's params by value, keys sorted: an equal object literal is the same key.
  const params: Record<string, unknown> = { ...login, campaign, locale };
  const key = JSON.stringify(params, Object.keys(params).sort());
  const hasFallback = fallback != null;

  useEffect(() => {
    let live = true;
    const failed = (error: BuyapowaError) => live && on.current.onError?.(error);
    if (!config) {
      const error = missingProvider('ReferAFriend');
      log('error', error.message);
      failed(error);
      return;
    }
    const embed = embedReferAFriend({ ...config, container: box.current!, errorContainer: errorBox.current || undefined }, JSON.parse(key));
    embed.ready.then((ready) => live && on.current.onReady?.(ready), failed);
    return () => {
      live = false;
      embed.destroy();
    };
  }, [config, key, hasFallback]);

  return (
    <div className={className}>
      <div ref={box} />
      {hasFallback && (
        <div ref={errorBox} hidden>
          {fallback}
        </div>
      )}
    </div>
  );
}
