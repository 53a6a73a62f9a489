'use client';
// Sends the conversion signed by the server component, from the browser: through the provider's
// relay (first-party), with the referral this browser remembered. `track` writes it down before
// it is sent and retries until the relay confirms, once per order number (so React's double
// effect in development, or a reload of the page, still makes one conversion).
import { useEffect } from 'react';
import { useTrack, type Conversion } from 'buyapowa-sdk/react';

/** Renders nothing; tracks `conversion` once the page is shown. */
export function TrackConversion({ conversion }: { conversion: Conversion }): null {
  const track = useTrack();
  useEffect(() => {
    track(conversion).catch(() => {
      // Refused for good (logged by the SDK); nothing for the buyer to do.
    });
  }, [track, conversion]);
  return null;
}
