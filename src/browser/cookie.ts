// The bp_ref cookie, read and written directly. Its value is already encodeURIComponent(JSON)
// (docs/protocol.md 3.2), so it needs no encoding of its own, and no cookie library ships to pages
// whose only cookie work is reading one value (`track`).

/** The value of cookie `name` as stored (the first of several), or `undefined`. Never throws. @internal */
export function readCookie(name: string): string | undefined {
  try {
    for (const pair of document.cookie.split('; ')) if (pair.startsWith(name + '=')) return pair.slice(name.length + 1);
  } catch {
    // no document
  }
}

/**
 * Writes cookie `name` on path `/`, `SameSite=Lax`, `Secure` on https, for `maxAgeSeconds`
 * (0 removes it), on `domain` when given (else host-only). @internal
 */
export function writeRawCookie(name: string, value: string, maxAgeSeconds: number, domain?: string): void {
  document.cookie = `${name}=${value};path=/;SameSite=Lax;max-age=${maxAgeSeconds}${domain ? ';domain=' + domain : ''}${location.protocol === 'https:' ? ';Secure' : ''}`;
}
