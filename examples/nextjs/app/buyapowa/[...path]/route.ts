// The relay as a Next.js App Router route handler: app/buyapowa/[...path]/route.ts answers
// /buyapowa/track, /buyapowa/click and /buyapowa/track.gif. Route handlers take the web Request,
// so createRelay mounts as is. Set the variables in .env.local (never NEXT_PUBLIC_: they are
// secrets). The relay is made on the first request, so `next build` needs none of them.
import { createRelay } from 'buyapowa-sdk/server';

let relay: ((request: Request) => Promise<Response>) | undefined;

/** The relay, made once from the environment (it keeps no state between requests). */
function handle(request: Request): Promise<Response> {
  relay ??= createRelay({
    market: process.env.BUYAPOWA_MARKET!,
    authToken: process.env.BUYAPOWA_AUTH_TOKEN!,
    secret: process.env.BUYAPOWA_SECRET!,
    cookieDomain: process.env.BUYAPOWA_COOKIE_DOMAIN,
  });
  return relay(request);
}

export const POST = handle;
export const GET = handle;
export const OPTIONS = handle;
