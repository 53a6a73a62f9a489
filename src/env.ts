/** True in a browser page; false during server-side rendering or in a worker. */
export const hasDom = (): boolean => typeof window !== 'undefined' && typeof document !== 'undefined';

/** A random RFC 4122 v4 id. Uses getRandomValues, which (unlike randomUUID) works on http pages too. */
export function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  let s = '';
  for (let i = 0; i < 16; i++) s += (i == 4 || i == 6 || i == 8 || i == 10 ? '-' : '') + (b[i] + 256).toString(16).slice(1);
  return s;
}

/** The page's origin and path, without query or fragment (which may hold personal data). */
export const pagePath = (): string => location.origin + location.pathname;

/**
 * Marks a promise as handled, so a caller who ignores it gets no "Uncaught (in promise)":
 * the SDK has already logged the problem. Callers who attach handlers still see rejections.
 */
export function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
