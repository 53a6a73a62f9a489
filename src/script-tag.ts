// The script-tag entry (dist/embedding.min.js): the only module with side effects. A loader: it
// defines window.Buyapowa, replays calls queued by the async loader snippet, captures the page's
// referral parameters and keeps consent; `track` and `embedReferAFriend` load their code on first
// use (src/loader/), from beside this file's URL or the tag's `data-base`. Conversions an earlier
// page left are sent by the track chunk, loaded only when there are some.
import { capture, clearReferral, getReferral, type CaptureOptions } from './browser/attribution';
import { session } from './browser/session';
import { getConsent, setConsent, type ConsentState } from './browser/consent';
import { setPlatformLoader } from './browser/consent-platforms/hook';
import { log } from './browser/log';
import { hasDom } from './browser/page';
import { Buyapowa, hasWaitingConversions, reportOption, runTrack } from './loader/buyapowa';
import { report } from './loader/report';
import { loadChunk, setBase } from './loader/registry';
import shared from 'virtual:bp-shared';
import type { BuyapowaGlobal } from './global';

type Global = BuyapowaGlobal;

/**
 * Runs a call from the merchant's page: logs instead of throwing into it. With `args`, the call's
 * input, a refusal is reported in full once explained (src/loader/report.ts).
 */
function safely<T>(what: string, run: () => T, args?: unknown[]): T | undefined {
  try {
    return run();
  } catch (error) {
    if (args) report(error, args, what + ' failed: ');
    else log('error', `${what} failed: ${(error as Error).message}`);
  }
}

const existing = hasDom() ? window.Buyapowa : undefined;
if (!hasDom()) {
  // Imported on a server (SSR, a bundle's Node build): there is no page; nothing to do.
} else if (existing && existing.version) {
  // Loaded twice: the first copy stays in charge.
  log('debug', 'embedding.min.js was loaded twice; the second copy does nothing');
} else {
  const script = document.currentScript as HTMLScriptElement | null;
  setBase(script);
  // Works with and without `new`; the constructor never throws.
  const global = function (...args: ConstructorParameters<typeof Buyapowa>) {
    return new Buyapowa(...args);
  } as unknown as Global;
  Object.assign(global, {
    prototype: Buyapowa.prototype,
    version: Buyapowa.version,
    setConsent: (state: ConsentState) => safely('Buyapowa.setConsent', () => setConsent(state), [state]),
    getConsent,
    captureReferral: (options?: CaptureOptions) => capture(options, reportOption),
    getReferral,
    clearReferral,
    // What the chunks share with this file (config, consent, log, storage…): see rollup.config.mjs.
    _: shared,
  });
  window.Buyapowa = global;

  // Options on the script tag: <script src=".../embedding.min.js" data-consent="pending" data-url="…" data-market="…">
  const options: Record<string, unknown> = { ...script?.dataset };
  const text = options as Record<string, string>;
  if (text.attributionDays) options.attributionDays = +text.attributionDays;
  if (text.referralParams) options.referralParams = text.referralParams.split(/\s*,\s*/);
  for (const flag of ['stripReferralParams', 'debug']) if (text[flag]) options[flag] = text[flag] !== 'false';
  // data-consent: a state, or a platform to follow ("tcf", "google", "shopify"; docs/consent.md).
  // The platforms' adapters come in the consent chunk (src/loader/consent-chunk.ts); the chunk
  // reads data-tcf-vendor-id and data-honor-global-privacy-control from these options.
  setPlatformLoader(() => loadChunk('consent', 'consent stays "pending"') as never, options);
  if (text.consent) global.setConsent(text.consent as ConsentState);
  // data-relay points every config's conversions, clicks and pixel at the merchant's relay.
  if (text.relay) session().relay = text.relay;

  // Calls made before this file arrived, in order (see the loader snippet in the README).
  for (const [stub, method, args] of (existing && existing.q) || [])
    safely('Buyapowa.' + method, () => {
      const call = (target: unknown, name: string, list: ArrayLike<unknown>) =>
        (target as Record<string, (...a: unknown[]) => unknown>)[name](...Array.from(list));
      if (method !== 'new') return call(stub ? stub._real : global, method, args);
      const real = new Buyapowa(...(Array.from(args) as ConstructorParameters<typeof Buyapowa>));
      stub!._real = real as never;
      // Later calls on the stub instance go straight to the real one.
      for (const name of ['embedReferAFriend', 'track', 'captureReferral'])
        (stub as Record<string, unknown>)[name] = (...more: unknown[]) => call(real, name, more);
    });

  capture(options, reportOption);
  // In a task of its own: what an earlier page left is sent after the page's script has run,
  // and its code is fetched only when there is something to send.
  setTimeout(() => safely('flushConversions', () => hasWaitingConversions() && runTrack()), 0);
}
