// The few Next.js APIs this example uses, with the signatures of next@15's App Router, so
// `npm run typecheck` checks the example without installing next. In your app, next's own types
// take their place (delete this folder).
declare module 'next/navigation' {
  /** The current URL's pathname (App Router, client components). */
  export function usePathname(): string;
  /** Renders the not-found page; never returns. */
  export function notFound(): never;
}
