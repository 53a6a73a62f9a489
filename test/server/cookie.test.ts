// @vitest-environment node
// The server's one Set-Cookie serialiser and Cookie reader (src/server/cookie.ts).
import { describe, expect, it } from 'vitest';
import { readCookie, serializeCookie } from '../../src/server/cookie';

describe('serializeCookie', () => {
  it('writes the attributes given, in one order, the value as given', () => {
    expect(serializeCookie('bp_ref', '%7B%7D', { path: '/', maxAge: 59.9, sameSite: 'Lax', domain: '.shop.com', secure: true, httpOnly: true })).toBe(
      'bp_ref=%7B%7D; Path=/; Max-Age=59; SameSite=Lax; Domain=shop.com; Secure; HttpOnly',
    );
    expect(serializeCookie('a', 'b')).toBe('a=b');
    expect(serializeCookie('a', 'b', { sameSite: 'None' })).toBe('a=b; SameSite=None; Secure');
    expect(serializeCookie('a', '', { maxAge: -5 })).toBe('a=; Max-Age=0');
  });

  it('refuses what a header cannot carry, naming the part', () => {
    expect(() => serializeCookie('a b', 'x')).toThrow(/"name" expected a token/);
    expect(() => serializeCookie('a', 'x;y')).toThrow(/"value" expected cookie-octets/);
    expect(() => serializeCookie('a', '{"v":1}')).toThrow(/"value" expected cookie-octets \(URI-encode it first\), received "\{\\"v\\":1\}"/);
    expect(() => serializeCookie('a', 'x', { domain: 'shop.com; Secure' })).toThrow(/"domain" expected a domain/);
    expect(() => serializeCookie('a', 'x', { path: '/a; b' })).toThrow(/"path" expected a path/);
  });
});

describe('readCookie', () => {
  it('finds a cookie by exact name, the first of several, quotes removed', () => {
    const header = 'x_bp_ref=1; bp_ref=%7B%22v%22%3A1%7D; other=2; bp_ref=later';
    expect(readCookie(header, 'bp_ref')).toBe('%7B%22v%22%3A1%7D');
    expect(readCookie('bp_ref="quoted"', 'bp_ref')).toBe('quoted');
    expect(readCookie('a=1', 'bp_ref')).toBeUndefined();
    expect(readCookie(null, 'bp_ref')).toBeUndefined();
  });
});
