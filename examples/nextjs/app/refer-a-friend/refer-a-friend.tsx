'use client';
// The campaign, embedded in a client component and removed on unmount (a route change away, or
// React's double effect in development). When buyapowa-sdk/react ships its component, this file
// becomes one line: <ReferAFriend campaign={campaign} /> with the same config.
import { useEffect, useRef } from 'react';
import { embedReferAFriend } from 'buyapowa-sdk';
import { BUYAPOWA } from '../buyapowa';

/** The refer-a-friend campaign `campaign`, in a box of its own. */
export function ReferAFriend({ campaign, locale }: { campaign: string; locale?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const error = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const embed = embedReferAFriend({ ...BUYAPOWA, container: box.current, errorContainer: error.current ?? undefined }, { campaign, locale });
    // A failed embed shows the error box; nothing to catch beyond that.
    embed.ready.catch(() => {});
    return () => embed.destroy();
  }, [campaign, locale]);
  return (
    <>
      <div ref={error} hidden>
        Sorry, something went wrong
      </div>
      <div ref={box} style={{ minHeight: 800 }} />
    </>
  );
}
