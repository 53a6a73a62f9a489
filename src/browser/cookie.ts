// The SDK's one cookie (`bp_ref`), read and written through `document.cookie`. Its value is
// already `encodeURIComponent(JSON)` (docs/protocol.md §3.2), so it is written and read as is:
// no converter, no attribute object, nothing a cookie library adds that this cookie never uses.

/** The value of the first cookie called `name` on this page, or undefined (also with no document). @internal */
export function readCookie(name: string): string | undefined {
  if (typeof document != 'object') return undefined;
  for (const pair of document.cookie.split('; ')) {
    const at = pair.indexOf('=');
    if (pair.slice(0, at) == name) return pair.slice(at + 1);
  }
  return undefined;
}

/**
 * Writes `name=value` on `path=/` with `SameSite=Lax` (and `Secure` on https pages), on `domain`
 * when given (else host-only); `maxAgeSeconds` 0 removes it. @internal
 */
export function writeCookie(name: string, value: string, maxAgeSeconds: number, domain?: string): void {
  document.cookie =
    `${name}=${value}; path=/; SameSite=Lax; max-age=${maxAgeSeconds}` + (domain ? '; domain=' + domain : '') + (location.protocol == 'https:' ? '; secure' : '');
}
