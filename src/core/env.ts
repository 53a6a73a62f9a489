/** A random v4 id. getRandomValues, unlike randomUUID, also works on http pages. @internal */
export const uuid = (): string =>
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) => (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (+c / 4)))).toString(16));

/**
 * Marks a promise as handled, so a caller who ignores it gets no "Uncaught (in promise)":
 * the SDK has already logged the problem. Callers who attach handlers still see rejections.
 * @internal
 */
export function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
