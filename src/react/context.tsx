import { createContext, useContext, useEffect, useMemo, type ReactElement, type ReactNode } from 'react';
import type { BuyapowaConfig } from '../browser/config';
import { setConsent } from '../browser/consent';
import { BuyapowaError } from '../core/errors';
import { log } from '../browser/log';

/**
 * What `<BuyapowaProvider config>` takes: the SDK's config without the embed's elements
 * (`<ReferAFriend>` renders its own). `url` and `market` are required; `relay` and `consent`
 * are the options a storefront usually sets.
 *
 * @example
 * ```ts
 * const config: BuyapowaProviderConfig = { url: 'https://bp.your-website.com', market: 'your-market', relay: '/buyapowa' };
 * ```
 */
export type BuyapowaProviderConfig = Omit<BuyapowaConfig, 'container' | 'errorContainer'>;

/** The props of {@link BuyapowaProvider}. */
export interface BuyapowaProviderProps {
  /** `{ url, market }` and options; compared by value, so an inline object literal is fine. */
  config: BuyapowaProviderConfig;
  /** The part of the app that uses the SDK's components and hooks. */
  children?: ReactNode;
}

const ConfigContext = createContext<BuyapowaProviderConfig | null>(null);

/**
 * Gives the components and hooks of `buyapowa-sdk/react` their config. It renders nothing of
 * its own. A change of `consent` is applied at once (see `setConsent`): `"granted"` writes what
 * waited in memory, `"denied"` deletes what was stored.
 *
 * @example
 * ```tsx
 * <BuyapowaProvider config={{ url: 'https://bp.your-website.com', market: 'your-market', consent: cookiesOk ? 'granted' : 'pending' }}>
 *   <App />
 * </BuyapowaProvider>
 * ```
 */
export function BuyapowaProvider({ config, children }: BuyapowaProviderProps): ReactElement {
  // By value: a new object with the same fields does not re-embed or re-capture.
  const key = JSON.stringify(config);
  const value = useMemo(() => config, [key]);
  const consent = config && config.consent;
  useEffect(() => {
    try {
      if (consent) setConsent(consent);
    } catch (error) {
      log('error', 'BuyapowaProvider', error);
    }
  }, [consent]);
  return <ConfigContext.Provider value={value}>{children}</ConfigContext.Provider>;
}

/** The provider's config; null when there is no provider above. @internal */
export const useConfig = (): BuyapowaProviderConfig | null => useContext(ConfigContext);

/** The error reported when `where` has no provider above it. @internal */
export const missingProvider = (where: string): BuyapowaError =>
  new BuyapowaError('invalid_config', `${where}: no <BuyapowaProvider config={{ url, market }}> above it; wrap your app in one`);
