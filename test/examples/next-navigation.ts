// The two next/navigation functions examples/nextjs uses, for tests in jsdom (next is not
// installed here; test/examples/nextjs-resolve.ts points the example's import at this file).
// As in the App Router, usePathname follows client-side navigations: navigate() pushes a history
// entry and re-renders the components that read the pathname.
import { act } from '@testing-library/react';
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
};

/** The current pathname, updated on every {@link navigate}. */
export const usePathname = (): string => useSyncExternalStore(subscribe, () => location.pathname);

/** What Next.js's notFound() does: throws, so the route renders its not-found page. */
export function notFound(): never {
  throw new Error('NEXT_NOT_FOUND');
}

/** A client-side navigation to `url` (path and query): no reload, and usePathname follows. */
export function navigate(url: string): void {
  act(() => {
    history.pushState(null, '', url);
    listeners.forEach((listener) => listener());
  });
}
