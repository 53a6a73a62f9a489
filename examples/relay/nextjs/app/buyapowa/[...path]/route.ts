// The relay as a Next.js App Router route handler: app/buyapowa/[...path]/route.ts answers
// /buyapowa/track, /buyapowa/click and /buyapowa/track.gif. Route handlers take the web Request,
// so createRelay mounts as is. Set the variables in .env.local (never NEXT_PUBLIC_: they are secrets).
import { createRelay } from 'buyapowa-sdk/server';

const relay = createRelay({
  market: process.env.BUYAPOWA_MARKET!,
  authToken: process.env.BUYAPOWA_AUTH_TOKEN!,
  secret: process.env.BUYAPOWA_SECRET!,
  cookieDomain: process.env.BUYAPOWA_COOKIE_DOMAIN,
});

export const POST = relay;
export const GET = relay;
export const OPTIONS = relay;
