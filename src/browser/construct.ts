// What `new Buyapowa(…)` does before anything else, shared by the npm class (src/browser/buyapowa.ts)
// and the script tag's loader class (src/loader/buyapowa.ts): read the arguments safely, accept
// the existing integrations' URL form, check the config once, and capture with it.
import { capture, type CaptureOptions, type OptionReporter } from './attribution';
import { checkTrackUrl, endpointOf, MARKET_IN_URL, marketOfUrl, resolveConfig, type BuyapowaConfig } from './config';
import { log } from './log';
import type { BuyapowaError } from '../core/errors';
import { problem } from '../core/messages';
import { browserError, fieldProblem } from '../core/problems';
import { readFields } from '../core/fields';
import type { StoredReferral } from '../core/referral';

/** A constructed instance's state: its config, and either its problems or this page's endpoint. @internal */
export interface Constructed {
  /** The config, with `container` and `errorContainer` from the constructor's arguments. */
  config: BuyapowaConfig;
  /** The config's problems, already reported (one `[Buyapowa]` line each). */
  error?: BuyapowaError;
  /** The config's market, when it was accepted. */
  market?: string;
  /** This page's track endpoint for the market, unless `trackUrl` was refused. */
  endpoint?: string;
}

/** Reports a refused config or option: by default, one `[Buyapowa]` error line per problem. @internal */
export type Reporter = (error: BuyapowaError) => void;

/** The default {@link Reporter}: logs each problem of `error` on its own line. @internal */
export const logProblems: Reporter = (error) => {
  for (const line of error.problems || [String(error)]) log('error', line);
};

/**
 * Reads the constructor's arguments (a config, or the URL `https://{market}.co-buying.com`),
 * checks them once and reports their problems with `report` (the script tag's loader passes its
 * own, src/loader/report.ts); never throws. @internal
 */
export function construct(
  given: BuyapowaConfig | string,
  container?: string | HTMLElement,
  errorContainer?: string | HTMLElement,
  report: Reporter = logProblems,
): Constructed {
  const url = typeof given === 'string';
  // Read once, safely: a throwing getter or a Proxy becomes a reported problem.
  const fields = (url ? { url: given, market: marketOfUrl(given) } : readFields(given)) as Partial<BuyapowaConfig> | undefined;
  const config = {
    ...fields,
    container: container || (fields && fields.container),
    errorContainer: errorContainer || (fields && fields.errorContainer),
  } as BuyapowaConfig;
  try {
    if (url && !config.market)
      throw browserError('invalid_config', 'new Buyapowa', process.env.NODE_ENV !== 'production' ? problem('market', MARKET_IN_URL, given) : 'market');
    const c = resolveConfig(fields ? config : (given as BuyapowaConfig), 'new Buyapowa');
    return { config, market: c.market, endpoint: checkTrackUrl(c) ? undefined : endpointOf(c) };
  } catch (error) {
    report(error as BuyapowaError);
    return { config, error: error as BuyapowaError };
  }
}

/**
 * The `captureReferral` method: the instance's config under the call's options. An option given
 * wrong is reported with `report`, with its name (`"options"` when they cannot be read at all);
 * by default one `[Buyapowa]` line. Never throws. @internal
 */
export function captureWith(self: Constructed, options?: CaptureOptions, report: OptionReporter = logProblems): StoredReferral | null {
  const fields = readFields(options);
  if (options != null && !fields) {
    report(browserError('invalid_config', 'captureReferral', fieldProblem('options', options)), 'options', options);
    return null;
  }
  // With a refused config (already reported), no click beacon: the tokens are still kept.
  const beacon = self.error ? { url: undefined } : {};
  return capture({ ...self.config, ...fields, ...beacon }, report);
}
