// The explain chunk (dist/chunks/explain.<hash>.js): the full texts of the loader's problems.
// The loader checks configs and options with short messages (the field and a docs link); when a
// check fails it loads this chunk and logs what it returns (src/loader/report.ts). A config
// (`new Buyapowa(…)`, `track`) is checked again, on the same input, with this chunk's own
// development copies of browser/construct, browser/config and core/problems (see OWN in
// rollup.config.mjs); a conversion refused or warned about by the track chunk is checked again
// with this chunk's own core/conversion; a single value (`setConsent`'s, a `captureReferral` option) is worded from
// its field and the value given.
import { checkTrackUrl, resolveConfig, type BuyapowaConfig } from '../browser/config';
import { construct } from '../browser/construct';
import { checkConversion } from '../core/conversion';
import type { BuyapowaError } from '../core/errors';
import { browserError, fieldProblem } from '../core/problems';
import { registerChunk } from './registry';

/** The problems of a check that throws its BuyapowaError; none when it passes. */
function problemsOf(run: () => unknown): string[] {
  try {
    run();
    return [];
  } catch (error) {
    return (error as BuyapowaError).problems || [];
  }
}

/**
 * Runs the check that refused `args` again (named by `where` in the loader's short problems,
 * `where: "field" (docs link)`) and returns its problems in full, one line each; none when it
 * passes or is not one of these.
 */
function explain(short: string[], args: unknown[]): string[] {
  const where = short[0].split(':')[0];
  const [first, second, third] = args as [never, never, never];
  if (where === 'new Buyapowa') {
    let lines: string[] = [];
    construct(first, second, third, (error) => (lines = error.problems));
    return lines;
  }
  if (where === 'track') return problemsOf(() => resolveConfig(first as BuyapowaConfig, 'track', checkTrackUrl));
  // A single value refused (a consent state, a captureReferral option): its problem is the field's and the value's.
  if (where === 'setConsent') return browserError('invalid_config', where, fieldProblem('consent', first)).problems;
  return where === 'captureReferral' ? browserError('invalid_config', where, fieldProblem(first, second)).problems : [];
}

/** A conversion's problems in full: the track chunk's check again, with this chunk's texts. */
function conversion(given: unknown) {
  const { errors, warnings } = checkConversion(given as never);
  return { errors, warnings };
}

registerChunk('explain', { explain, conversion });
