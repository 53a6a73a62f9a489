'use client';
// Remembers a referral click (the bp_e parameter of a share link) on every route change: the App
// Router changes pages without a reload, so the landing page of a share link may be any route.
// captureReferral never throws and does nothing without a bp_e in the address.
import { useEffect } from 'react';
import { usePathname } from 'next/navigation';
import { captureReferral } from 'buyapowa-sdk';
import { BUYAPOWA } from './buyapowa';

/** Renders nothing; put it once in the root layout. */
export function ReferralCapture(): null {
  const pathname = usePathname();
  useEffect(() => {
    captureReferral({ ...BUYAPOWA, stripReferralParams: true });
  }, [pathname]);
  return null;
}
