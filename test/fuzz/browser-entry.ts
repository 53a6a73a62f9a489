// Bundled by esbuild into the fuzz page (test/fuzz/script-tag.browser.test.ts): runs fast-check
// INSIDE Chromium against window.Buyapowa from dist/embedding.min.js, so Symbols, Proxies and
// throwing getters reach the script tag as a merchant's page would hand them over.
import fc from 'fast-check';
import * as arb from './arbitraries';

/** A guard against a promise that never settles; not a timing assertion. */
const SETTLE_GUARD_MS = 30_000;

interface ScriptTagGlobal {
  (...args: unknown[]): ScriptTagInstance;
  new (...args: unknown[]): ScriptTagInstance;
  setConsent(state: unknown): void;
  captureReferral(options: unknown): unknown;
  getReferral(): unknown;
}
interface ScriptTagInstance {
  track(conversion: unknown): unknown;
  captureReferral(options: unknown): unknown;
}

/** What the run found: the fast-check failure (with its seed), and uncaught errors seen by the page. */
export interface FuzzOutcome {
  failure: string | null;
  uncaught: string[];
  runs: number;
  consoleLines: number;
}

async function settles(promise: unknown): Promise<string> {
  if (!(promise instanceof Promise)) return 'not a promise';
  let guard: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<string>((resolve) => (guard = setTimeout(() => resolve('hung'), SETTLE_GUARD_MS)));
  const outcome = await Promise.race([
    promise.then(
      () => 'settled',
      (error) => (error && error.name === 'BuyapowaError' ? 'settled' : 'rejected with ' + String(error)),
    ),
    hung,
  ]);
  clearTimeout(guard);
  return outcome;
}

async function fuzzScriptTag(seed: number, numRuns: number, url: string, path?: string): Promise<FuzzOutcome> {
  const uncaught: string[] = [];
  addEventListener('error', (event) => uncaught.push('error: ' + event.message));
  addEventListener('unhandledrejection', (event) => uncaught.push('unhandledrejection: ' + String(event.reason)));
  // Every call logs one line per problem; 10,000 runs of them are counted, not printed.
  let consoleLines = 0;
  for (const level of ['error', 'warn', 'info', 'log'] as const) console[level] = () => void consoleLines++;
  const Buyapowa = (window as unknown as { Buyapowa: ScriptTagGlobal }).Buyapowa;
  const fingerprint = arb.prototypeFingerprint();
  let runs = 0;
  // What the failing run found: fast-check cannot always print its counterexample (a revoked Proxy).
  let lastProblems = '';
  const property = fc.asyncProperty(
    fc.boolean(),
    arb.config(url),
    arb.hostileValue,
    arb.hostileValue,
    arb.conversion,
    arb.config(url),
    arb.hostileValue,
    async (withNew, config, container, errorContainer, conversion, options, consent) => {
      runs++;
      localStorage.clear();
      Buyapowa.setConsent('granted');
      const problems: string[] = [];
      const noThrow = (what: string, run: () => unknown) => {
        try {
          return run();
        } catch (error) {
          problems.push(`${what} threw ${String(error)}`);
        }
      };
      const instance = noThrow('new Buyapowa', () =>
        withNew ? new Buyapowa(config, container, errorContainer) : Buyapowa(config, container, errorContainer),
      ) as ScriptTagInstance;
      const tracked = noThrow('track', () => instance.track(conversion));
      noThrow('captureReferral', () => instance.captureReferral(options));
      noThrow('Buyapowa.setConsent', () => Buyapowa.setConsent(consent));
      noThrow('Buyapowa.captureReferral', () => Buyapowa.captureReferral(options));
      const outcome = await settles(tracked);
      if (outcome !== 'settled') problems.push('track: ' + outcome);
      if (arb.prototypeFingerprint() !== fingerprint) problems.push('a prototype changed');
      if (uncaught.length) problems.push('uncaught: ' + uncaught.join('; '));
      if (problems.length) throw new Error((lastProblems = problems.join('\n')));
    },
  );
  let failure: string | null = null;
  try {
    await fc.assert(property, { seed, numRuns, endOnFailure: true, ...(path && { path }) });
  } catch (error) {
    // fast-check 4 keeps the property's own error as the cause.
    const cause = (error as { cause?: Error }).cause;
    failure = `${(error as Error).message}\nCaused by: ${cause && cause.message}\nThe property found: ${lastProblems}`;
  }
  return { failure, uncaught, runs, consoleLines };
}

(window as unknown as { fuzzScriptTag: typeof fuzzScriptTag }).fuzzScriptTag = fuzzScriptTag;
