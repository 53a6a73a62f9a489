// useReferralCapture, useTrack and the provider's consent, in jsdom with React Testing Library.
import { act, cleanup, render, renderHook } from '@testing-library/react';
import { StrictMode, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BuyapowaProviderConfig } from '../../src/react';
import { answerWith, bodies } from '../fetch-stub';

const config: BuyapowaProviderConfig = { url: 'https://bp.shop.com', market: 'demo' };

// Fresh SDK modules for each test (the referral and consent state of a new page); React stays.
let react: typeof import('../../src/react');
let sdk: typeof import('../../src/index');
let beacon: ReturnType<typeof vi.fn>;
beforeEach(async () => {
  vi.resetModules();
  react = await import('../../src/react');
  sdk = await import('../../src/index');
  history.replaceState(null, '', '/');
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  beacon = vi.fn(() => true);
  Object.defineProperty(navigator, 'sendBeacon', { value: beacon, configurable: true });
});
afterEach(() => {
  cleanup();
  sdk.setConsent('granted');
  sdk.clearReferral();
  localStorage.clear();
  vi.unstubAllGlobals();
});

/** A wrapper that renders its children in StrictMode under a provider with `providerConfig`. */
const inProvider =
  (providerConfig: BuyapowaProviderConfig = config) =>
  ({ children }: { children: ReactNode }) => (
    <StrictMode>
      <react.BuyapowaProvider config={{ ...providerConfig }}>{children}</react.BuyapowaProvider>
    </StrictMode>
  );

describe('useReferralCapture', () => {
  it('captures the landing page referral on mount and tells the platform once', () => {
    history.replaceState(null, '', '/landing?bp_e=first');
    renderHook(() => react.useReferralCapture(), { wrapper: inProvider() });
    expect(sdk.getReferral()?.t).toEqual({ bp_e: 'first' });
    // StrictMode runs the effect twice: one landing is one click beacon.
    expect(beacon).toHaveBeenCalledTimes(1);
    expect(beacon.mock.calls[0][0]).toBe('https://bp.shop.com/click');
  });

  it('captures again when the pathname changes, and not on a re-render with the same pathname', () => {
    history.replaceState(null, '', '/a?bp_e=first');
    const { rerender } = renderHook(({ pathname }) => react.useReferralCapture(pathname), { wrapper: inProvider(), initialProps: { pathname: '/a' } });
    expect(sdk.getReferral()?.t).toEqual({ bp_e: 'first' });
    // The router moved to a new route whose URL carries another referral: captured.
    history.replaceState(null, '', '/b?bp_e=second');
    rerender({ pathname: '/a' });
    expect(sdk.getReferral()?.t).toEqual({ bp_e: 'first' });
    rerender({ pathname: '/b' });
    expect(sdk.getReferral()?.t).toEqual({ bp_e: 'second' });
  });

  it('without a provider, keeps the tokens and sends no click beacon', () => {
    history.replaceState(null, '', '/?bp_e=alone');
    renderHook(() => react.useReferralCapture());
    expect(sdk.getReferral()?.t).toEqual({ bp_e: 'alone' });
    expect(beacon).not.toHaveBeenCalled();
  });

  it("follows the provider's consent: pending stores no cookie, granted later writes it", () => {
    history.replaceState(null, '', '/?bp_e=waiting');
    const { rerender } = render(
      <react.BuyapowaProvider config={{ ...config, consent: 'pending' }}>
        <Capture />
      </react.BuyapowaProvider>,
    );
    expect(sdk.getConsent()).toBe('pending');
    expect(document.cookie).not.toContain('bp_ref');
    rerender(
      <react.BuyapowaProvider config={{ ...config, consent: 'granted' }}>
        <Capture />
      </react.BuyapowaProvider>,
    );
    expect(sdk.getConsent()).toBe('granted');
    expect(document.cookie).toContain('bp_ref');
  });
});

function Capture() {
  react.useReferralCapture('/');
  return null;
}

describe('useTrack', () => {
  it("sends the conversion with the provider's config, and stays the same function for an equal config", async () => {
    const fetch = answerWith(201);
    const { result, rerender } = renderHook(() => react.useTrack(), { wrapper: inProvider() });
    const track = result.current;
    rerender();
    expect(result.current).toBe(track);
    const outcome = await act(() => track({ order_number: 'ORDER-1', customer_email: 'jane@smith.com', order_value: 12.5 }));
    expect(outcome.status).toBe('delivered');
    expect(fetch.mock.calls[0][0]).toBe('https://bp.shop.com/track');
    expect(bodies(fetch)).toEqual([expect.objectContaining({ market: 'demo', conversion: expect.objectContaining({ order_number: 'ORDER-1' }) })]);
  });

  it("goes to the provider's relay", async () => {
    const fetch = answerWith(201);
    const { result } = renderHook(() => react.useTrack(), { wrapper: inProvider({ ...config, relay: '/buyapowa' }) });
    await act(() => result.current({ order_number: 'ORDER-2', customer_email: 'jane@smith.com' }));
    expect(fetch.mock.calls[0][0]).toBe('/buyapowa/track');
  });

  it('rejects with a BuyapowaError naming the missing field, and without a provider', async () => {
    const { result } = renderHook(() => react.useTrack(), { wrapper: inProvider() });
    await expect(result.current({ order_number: 'ORDER-3' } as never)).rejects.toMatchObject({
      code: 'invalid_conversion',
      message: expect.stringContaining('customer_email'),
    });
    const alone = renderHook(() => react.useTrack());
    await expect(alone.result.current({ order_number: 'ORDER-4', customer_email: 'a@b.co' })).rejects.toMatchObject({
      name: 'BuyapowaError',
      code: 'invalid_config',
      message: expect.stringContaining('useTrack: no <BuyapowaProvider'),
    });
  });
});
