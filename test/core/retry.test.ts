// @vitest-environment node
// The one retry timing (src/core/retry.ts): retryable statuses, Retry-After, backoff with the
// jitter inside the cap.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, isRetryAfterTooLong, isRetryableStatus, parseRetryAfter, retryAfterDelay, retryDelay, type RetryOptions } from '../../src/core/retry';

afterEach(() => vi.restoreAllMocks());

const OPTIONS: RetryOptions = { limit: 5, initialDelay: 500, maxDelay: 8000, maxRetryAfter: 60_000 };

describe('isRetryableStatus', () => {
  it('retries 408, 429 and every 5xx, nothing else', () => {
    expect([408, 429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([0, 200, 201, 204, 301, 303, 400, 401, 403, 404, 405, 409, 413, 422, 600].some(isRetryableStatus)).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-10-21T07:28:00Z');
  it('reads delta-seconds and HTTP dates as milliseconds from now', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1500);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', now)).toBe(30_000);
    // A date in the past: no wait.
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:00:00 GMT', now)).toBe(0);
  });
  it('reads nothing from absent, negative, exotic or overlong values', () => {
    for (const value of [null, undefined, '', '  ', '-5', '1e3', 'soon', '0x10', 'Infinity', '9'.repeat(65), 'Wed, 21 Oct 2026 07:28:30 GMT' + ' '.repeat(60)])
      expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('doubles from initialDelay, and the jitter stays inside the cap', () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.999999);
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, OPTIONS))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    random.mockReturnValue(0);
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, OPTIONS))).toEqual([250, 500, 1000, 2000, 4000, 4000]);
    random.mockRestore();
    for (let i = 0; i < 200; i++) expect(backoffDelay(30, OPTIONS)).toBeLessThanOrEqual(OPTIONS.maxDelay);
  });
});

describe('retryDelay', () => {
  it('prefers the Retry-After, within maxRetryAfter', () => {
    expect(retryDelay(3, '7', OPTIONS, 0)).toBe(7000);
    expect(retryDelay(0, '60', OPTIONS, 0)).toBe(60_000);
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(retryDelay(2, 'soon', OPTIONS, 0)).toBe(1000);
  });
  it('waits at most maxRetryAfter, and says when a Retry-After asks for longer', () => {
    expect(retryDelay(0, '61', OPTIONS, 0)).toBe(60_000);
    expect(retryAfterDelay('3600', { maxRetryAfter: 60_000 })).toBe(60_000);
    expect(retryAfterDelay(null, OPTIONS)).toBeUndefined();
    expect([
      isRetryAfterTooLong('61', OPTIONS),
      isRetryAfterTooLong('60', OPTIONS),
      isRetryAfterTooLong('soon', OPTIONS),
      isRetryAfterTooLong(null, OPTIONS),
    ]).toEqual([true, false, false, false]);
  });
});
