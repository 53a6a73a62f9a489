'use client';
// Sends the conversion signed by the server component, from the browser: through the relay
// (first-party), with the referral this browser remembered. `track` writes it down before it is
// sent and retries until the relay confirms, once per order number.
import { useEffect } from 'react';
import { track, type Conversion } from 'buyapowa-sdk';
import { BUYAPOWA } from '../../../buyapowa';

/** Renders nothing; tracks `conversion` once the page is shown. */
export function TrackConversion({ conversion }: { conversion: Conversion }): null {
  useEffect(() => {
    track(BUYAPOWA, conversion).catch(() => {
      // Refused for good (logged by the SDK); nothing for the buyer to do.
    });
  }, [conversion]);
  return null;
}
