import { useCallback, useEffect } from 'react';
import { captureReferral } from '../browser/attribution';
import type { Conversion } from '../core/conversion';
import { quiet } from '../core/env';
import type { TrackResult } from '../browser/outbox';
import { track } from '../browser/track';
import { missingProvider, useConfig } from './context';

/**
 * Captures the page's referral parameters (see `captureReferral`) when the component mounts,
 * and again whenever `pathname` changes: pass your router's location so a referral link that
 * lands on any route is remembered. With a provider, the platform is told about the click; the
 * tokens are kept even without one.
 *
 * @param pathname - Anything that changes with the route, e.g. Next.js's `usePathname()`, or
 * `location.pathname + location.search` with React Router. Default: capture on mount only.
 * @example
 * ```tsx
 * 'use client';
 * import { usePathname } from 'next/navigation';
 * import { useReferralCapture } from 'buyapowa-sdk/react';
 *
 * export function ReferralCapture() {
 *   useReferralCapture(usePathname());
 *   return null;
 * }
 * ```
 */
export function useReferralCapture(pathname?: string): void {
  const config = useConfig();
  useEffect(() => {
    captureReferral(config || undefined);
  }, [config, pathname]);
}

/**
 * `track`, bound to the provider's config: sends a conversion exactly once per order.
 *
 * @returns A stable function (it changes only with the config) that resolves with the delivery
 * outcome and rejects with a {@link BuyapowaError} when nothing could be sent (`invalid_conversion`,
 * `invalid_config`, or no provider above the component).
 * @example
 * ```tsx
 * function ThankYou({ order }: { order: Order }) {
 *   const track = useTrack();
 *   useEffect(() => {
 *     track({ order_number: order.id, customer_email: order.email, order_value: order.total });
 *   }, [track, order]);
 *   return <p>Thank you!</p>;
 * }
 * ```
 */
export function useTrack(): (conversion: Conversion) => Promise<TrackResult> {
  const config = useConfig();
  return useCallback((conversion: Conversion) => (config ? track(config, conversion) : quiet(Promise.reject(missingProvider('useTrack')))), [config]);
}
