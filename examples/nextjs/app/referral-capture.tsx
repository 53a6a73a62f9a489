'use client';
// Remembers a referral click (the bp_e parameter of a share link) on every route change: the App
// Router changes pages without a reload, so the landing page of a share link may be any route.
// useReferralCapture captures on mount and again whenever the pathname changes; it never throws
// and does nothing without a bp_e in the address. With the provider's relay, the click is also
// told to /buyapowa/click, which re-sets the referral cookie from the server.
import { usePathname } from 'next/navigation';
import { useReferralCapture } from 'buyapowa-sdk/react';

/** Renders nothing; the root layout puts it once inside <BuyapowaProvider>. */
export function ReferralCapture(): null {
  useReferralCapture(usePathname());
  return null;
}
