// Cookies on the server, in the manner of Hono's utils/cookie: one `Set-Cookie` serialiser and
// one `Cookie` header reader. Values are written as given (the referral's value is already
// URI-encoded JSON, docs/protocol.md §3.2), so a value outside RFC 6265's cookie-octets is refused
// rather than silently re-encoded.

/** Attributes of a `Set-Cookie`. @internal */
export interface CookieAttributes {
  /** `Path`. */
  path?: string;
  /** `Domain`, without a leading dot (one is dropped). Absent: a host-only cookie. */
  domain?: string;
  /** `Max-Age` in seconds (rounded down; 0 deletes the cookie). */
  maxAge?: number;
  /** `SameSite`. */
  sameSite?: 'Strict' | 'Lax' | 'None';
  /** `Secure`. */
  secure?: boolean;
  /** `HttpOnly`. */
  httpOnly?: boolean;
}

/** A cookie name: an RFC 7230 token. */
const NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A cookie value: RFC 6265 cookie-octets (no space, `"`, `,`, `;` or `\`). */
const VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;
/** A domain: letters, digits, dots and hyphens. */
const DOMAIN = /^[a-z0-9.-]+$/i;

/**
 * One `Set-Cookie` header value: `name=value; Path=…; Max-Age=…; SameSite=…; Domain=…; Secure;
 * HttpOnly`, each attribute only when given. Throws a TypeError naming the part that cannot be written in a header. @internal
 */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes = {}): string {
  const bad = (part: string, expected: string, received: string) =>
    new TypeError(`serializeCookie: "${part}" expected ${expected}, received ${JSON.stringify(received.slice(0, 60))}`);
  if (!NAME.test(name)) throw bad('name', "a token (letters, digits and !#$%&'*+.^_`|~-)", name);
  if (!VALUE.test(value)) throw bad('value', 'cookie-octets (URI-encode it first)', value);
  let cookie = `${name}=${value}`;
  if (attributes.path) {
    if (!VALUE.test(attributes.path)) throw bad('path', 'a path without ";" or spaces', attributes.path);
    cookie += `; Path=${attributes.path}`;
  }
  if (attributes.maxAge !== undefined) cookie += `; Max-Age=${Math.max(0, Math.floor(attributes.maxAge))}`;
  if (attributes.sameSite) cookie += `; SameSite=${attributes.sameSite}`;
  if (attributes.domain) {
    const domain = attributes.domain.replace(/^\./, '');
    if (!DOMAIN.test(domain)) throw bad('domain', 'a domain like "shop.com"', attributes.domain);
    cookie += `; Domain=${domain}`;
  }
  if (attributes.secure || attributes.sameSite === 'None') cookie += '; Secure';
  if (attributes.httpOnly) cookie += '; HttpOnly';
  return cookie;
}

/**
 * The value of cookie `name` in a `Cookie` request header, as sent (not decoded); the first one
 * when the browser sent several (the most specific path comes first). `undefined` when absent. @internal
 */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name)
      return pair
        .slice(at + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}
