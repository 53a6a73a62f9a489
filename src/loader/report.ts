// How the loader reports a refused call. The loader is on every page, so its own problems are
// short (the field and a link to docs/errors.md); the full "expected … received …" texts are in
// the explain chunk (src/loader/explain-chunk.ts), loaded only when a check fails. It runs the
// check again on the same input and gives the lines the loader logs, one per problem, as many as
// the loader's own; when it cannot load, the loader's short lines are logged instead.
import type { BuyapowaError } from '../core/errors';
import { log } from '../browser/log';
import { loadChunk } from './registry';

/**
 * The checks the explain chunk runs again, by name: `new` (the constructor's arguments), `track`
 * (its config), `option` (a `captureReferral` option: its name and the value given) and
 * `setConsent` (the value given). @internal
 */
export type Check = 'new' | 'track' | 'option' | 'setConsent';

/** The explain chunk's function: the full problem lines of `check` run on `args`, none when it passes. @internal */
export type Explain = (check: Check, args: unknown[]) => string[];

/**
 * Logs the problems of `error`, which `check` found in `args`: in full once the explain chunk has
 * run, else short; `prefix` goes before each line. Logs nothing at once; never throws. @internal
 */
export function report(error: BuyapowaError, check: Check, args: unknown[], prefix = ''): void {
  const short = error.problems;
  loadChunk('explain', 'the problems below are shown without their details')
    .then((api) => (api.explain as Explain)(check, args))
    .catch(() => short)
    .then((full) => (full.length === short.length ? full : short).forEach((line) => log('error', prefix + line)));
}
