// The root layout (a server component): every route is inside <BuyapowaProvider>, which gives
// the SDK's components and hooks their config, and gets the referral capture. buyapowa-sdk/react
// is a client module ('use client'), so a server component renders its components as they are;
// the config is plain data, passed to the browser as props.
import type { ReactNode } from 'react';
import { BuyapowaProvider } from 'buyapowa-sdk/react';
import { BUYAPOWA } from './buyapowa';
import { ReferralCapture } from './referral-capture';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <BuyapowaProvider config={BUYAPOWA}>
          <ReferralCapture />
          {children}
        </BuyapowaProvider>
      </body>
    </html>
  );
}
