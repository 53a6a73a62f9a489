// The script-tag entry (dist/embedding.min.js): the only module with side effects.
// It defines window.Buyapowa, replays calls queued by the async loader snippet, captures the
// page's referral parameters and sends conversions left over from earlier pages.
import { captureReferral, clearReferral, getReferral, type CaptureOptions } from './attribution';
import { Buyapowa } from './buyapowa';
import { getConsent, setConsent, type ConsentState } from './consent';
import { flushConversions } from './track';
import { log } from './log';

type QueuedCall = [{ _real?: Buyapowa } | null, string, ArrayLike<unknown>];

type Global = ((...args: ConstructorParameters<typeof Buyapowa>) => Buyapowa) & {
  version: string;
  q?: QueuedCall[];
  setConsent(state: ConsentState): void;
  getConsent(): ConsentState;
  captureReferral: typeof captureReferral;
  getReferral: typeof getReferral;
  clearReferral: typeof clearReferral;
};

declare global {
  interface Window {
    /** Set by `embedding.min.js`. */
    Buyapowa?: Global;
  }
}

/** Runs a call from the merchant's page: logs instead of throwing into it. */
function safely<T>(what: string, run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    log('error', `${what} failed: ${(error as Error).message}`);
  }
}

const existing = window.Buyapowa;
if (existing && existing.version) {
  // Loaded twice: the first copy stays in charge.
  log('debug', 'embedding.min.js was loaded twice; the second copy does nothing');
} else {
  // Works with and without `new`, and never throws.
  const global = function (...args: ConstructorParameters<typeof Buyapowa>) {
    return safely('new Buyapowa', () => new Buyapowa(...args)) || new Buyapowa({} as never);
  } as unknown as Global;
  global.prototype = Buyapowa.prototype;
  global.version = Buyapowa.version;
  global.setConsent = (state) => safely('Buyapowa.setConsent', () => setConsent(state));
  global.getConsent = getConsent;
  global.captureReferral = (options) => safely('Buyapowa.captureReferral', () => captureReferral(options)) || null;
  global.getReferral = getReferral;
  global.clearReferral = clearReferral;
  window.Buyapowa = global;

  // Options on the script tag: <script src=".../embedding.min.js" data-consent="pending" data-url="https://bp.shop.com" data-market="m">
  const data = (document.currentScript && (document.currentScript as HTMLScriptElement).dataset) || {};
  const options: CaptureOptions = {};
  if (data.consent) options.consent = data.consent as ConsentState;
  if (data.url && data.market) (options.url = data.url), (options.market = data.market);
  if (data.attribution) options.attribution = data.attribution as 'first';
  if (data.attributionDays) options.attributionDays = Number(data.attributionDays);
  if (data.referralParams) options.referralParams = data.referralParams.split(',').map((s) => s.trim());
  if (data.stripReferralParams) options.stripReferralParams = data.stripReferralParams != 'false';
  if (data.cookieDomain) options.cookieDomain = data.cookieDomain;
  if (data.debug) options.debug = data.debug != 'false';

  if (options.consent) global.setConsent(options.consent);

  // Calls made before this file arrived, in order (see the loader snippet in the README).
  const queue = (existing && existing.q) || [];
  for (const [stub, method, args] of queue) {
    safely('Buyapowa.' + method, () => {
      if (method == 'new') {
        const real = new Buyapowa(...(Array.from(args) as ConstructorParameters<typeof Buyapowa>));
        stub!._real = real;
        for (const name of ['embedReferAFriend', 'track', 'captureReferral'] as const)
          (stub as Record<string, unknown>)[name] = (...more: never[]) => (real[name] as (...a: never[]) => unknown)(...more);
      } else if (stub) (stub._real as unknown as Record<string, (...a: unknown[]) => unknown>)[method](...Array.from(args));
      else (global as unknown as Record<string, (...a: unknown[]) => unknown>)[method](...Array.from(args));
    });
  }

  captureReferral(options);
  flushConversions();
}
