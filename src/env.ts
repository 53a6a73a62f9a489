/** True in a browser page; false during server-side rendering or in a worker. @internal */
export const hasDom = (): boolean => typeof document == 'object';

/** A random v4 id. getRandomValues, unlike randomUUID, also works on http pages. @internal */
export const uuid = (): string =>
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (+c / 4)))).toString(16),
  );

/** The page's origin and path, without query or fragment (which may hold personal data). @internal */
export const pagePath = (): string => location.origin + location.pathname;

/**
 * Marks a promise as handled, so a caller who ignores it gets no "Uncaught (in promise)":
 * the SDK has already logged the problem. Callers who attach handlers still see rejections.
 * @internal
 */
export function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
