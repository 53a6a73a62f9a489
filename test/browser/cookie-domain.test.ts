/**
 * @vitest-environment jsdom
 * @vitest-environment-options {"url": "https://shop.example.co.uk/checkout"}
 */
import { describe, expect, it } from 'vitest';
import { registrableDomain } from '../../src/browser/cookie-domain';

// jsdom's cookie jar (tough-cookie) knows the public suffix list, like a browser: it refuses
// Domain=co.uk, which is what the probe relies on.
describe('registrableDomain', () => {
  it('finds example.co.uk for shop.example.co.uk and never writes to co.uk', () => {
    expect(location.hostname).toBe('shop.example.co.uk');
    expect(registrableDomain()).toBe('example.co.uk');
    expect(document.cookie).toBe('');
  });

  it('gives no domain for IP addresses and localhost', () => {
    expect(registrableDomain('127.0.0.1')).toBe('');
    expect(registrableDomain('[::1]')).toBe('');
    expect(registrableDomain('localhost')).toBe('');
  });
});
