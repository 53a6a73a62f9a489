// The root layout (a server component): every route gets the referral capture.
import type { ReactNode } from 'react';
import { ReferralCapture } from './referral-capture';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <ReferralCapture />
        {children}
      </body>
    </html>
  );
}
