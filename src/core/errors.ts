/**
 * What went wrong, as a stable string a program can switch on.
 *
 * - `invalid_config`: the `{ url, market, … }` object or an option is wrong.
 * - `invalid_conversion`: a `track` call lacks a required field or has one that can't be used.
 * - `container_not_found`: the embed's container element does not exist.
 * - `campaign_not_found`: the platform has no such campaign (or market).
 * - `frame_failed`: the campaign iframe failed to load or was refused (CSP, X-Frame-Options).
 * - `timeout`: the campaign did not answer the handshake in time.
 * - `destroyed`: `destroy()` was called, or the embed was replaced, before the campaign was ready.
 * - `unsupported_environment`: called where there is no `window` (server-side rendering).
 * - `invalid_input`: on the server, a value that came from a visitor or a request (a `bp_e`
 *   that does not decrypt, metadata that is not a referral) is unusable; your configuration is
 *   fine. Answer the request as a client error; nothing needs fixing on your side.
 */
export type BuyapowaErrorCode =
  | 'invalid_config'
  | 'invalid_conversion'
  | 'container_not_found'
  | 'campaign_not_found'
  | 'frame_failed'
  | 'timeout'
  | 'destroyed'
  | 'unsupported_environment'
  | 'invalid_input';

/**
 * The one error type the SDK rejects with. `message` says what was expected and what was
 * received; `problems` lists each problem on its own when there were several. In a production
 * bundle (`process.env.NODE_ENV === "production"`) the browser functions keep only the field
 * name and a link to the code's section of docs/errors.md; switch on `code`, not on `message`.
 *
 * @example
 * ```ts
 * embed.ready.catch((error) => {
 *   if (error instanceof BuyapowaError && error.code === 'timeout') showFallback();
 * });
 * ```
 */
export class BuyapowaError extends Error {
  /** What went wrong; see {@link BuyapowaErrorCode}. */
  readonly code: BuyapowaErrorCode;
  /** Every problem found, one sentence each. */
  readonly problems: string[];

  /** @internal */
  constructor(code: BuyapowaErrorCode, problems: string | string[]) {
    problems = ([] as string[]).concat(problems);
    super(problems.join('\n'));
    this.name = 'BuyapowaError';
    this.code = code;
    this.problems = problems;
  }
}

// The long texts live in messages.ts; server and API code imports them from here.
export { PLACEHOLDER_NOTE, problem, received } from './messages';

// The browser's wording of a problem (fieldProblem, browserError, ERRORS_DOCS) is in problems.ts:
// the script tag's chunks each bundle their own copy of it, while sharing this module's class.

/**
 * Runs `run`; any other error it throws (a throwing getter, a Proxy trap, a stack overflow)
 * becomes a BuyapowaError with `problemText`, so callers only ever see BuyapowaError. @internal
 */
export function onlyBuyapowaErrors<T>(code: BuyapowaErrorCode, problemText: () => string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw error instanceof BuyapowaError ? error : new BuyapowaError(code, problemText());
  }
}
