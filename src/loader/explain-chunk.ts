// The explain chunk (dist/chunks/explain.<hash>.js): the full texts of the loader's problems.
// The loader checks configs and options with short messages; when a check fails it loads this
// chunk, which runs the same check again, on the same input, with its own development copies of
// the checks (browser/config, browser/construct, core/problems; see OWN in rollup.config.mjs), and
// returns the "expected … received …" lines for the loader to log (src/loader/report.ts).
import { checkTrackUrl, resolveConfig, type BuyapowaConfig } from '../browser/config';
import { construct } from '../browser/construct';
import type { BuyapowaError } from '../core/errors';
import { browserError, fieldProblem } from '../core/problems';
import { registerChunk } from './registry';
import type { Check } from './report';

/** The problems of a check that throws its BuyapowaError; none when it passes. */
function problemsOf(run: () => unknown): string[] {
  try {
    run();
    return [];
  } catch (error) {
    return (error as BuyapowaError).problems || [];
  }
}

/** Runs `check` again on `args` and returns its problems in full, one line each. */
function explain(check: Check, args: unknown[]): string[] {
  const [first, second, third] = args as [never, never, never];
  if (check === 'new') {
    let lines: string[] = [];
    construct(first, second, third, (error) => (lines = error.problems));
    return lines;
  }
  if (check === 'track') return problemsOf(() => resolveConfig(first as BuyapowaConfig, 'track', checkTrackUrl));
  // A single value refused (a consent state, an option): its problem is a function of the field and the value.
  const [field, where] = check === 'setConsent' ? ['consent', 'setConsent'] : [first as string, 'captureReferral'];
  return browserError('invalid_config', where, fieldProblem(field, check === 'setConsent' ? first : second)).problems;
}

registerChunk('explain', { explain });
