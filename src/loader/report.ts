// How the loader reports a refused call. The loader is on every page, so its own problems are
// short (the field and a link to docs/errors.md); the full "expected … received …" texts are in
// the explain chunk (src/loader/explain-chunk.ts), loaded only when a check fails. It runs the
// check again on the same input and gives the lines the loader logs, one per problem, as many as
// the loader's own; when it cannot load, the loader's short lines are logged instead.
import type { BuyapowaError } from '../core/errors';
import type { CheckedConversion } from '../core/conversion';
import { log } from '../browser/log';
import { loadChunk } from './registry';

/**
 * The explain chunk's function: the full lines of the problems the loader found (`short`, each
 * `where: …`, which names the check) in `args`, the check's input: the constructor's arguments,
 * `track`'s config, a `captureReferral` option's name and value, `setConsent`'s value. @internal
 */
export type Explain = (short: string[], args: unknown[]) => string[];

/**
 * Logs the problems of `error` (a BuyapowaError, or any error thrown by a call the loader ran),
 * found in `args`: in full once the explain chunk has run, else short; `prefix` goes before each
 * line. Logs nothing at once; never throws. @internal
 */
export function report(error: unknown, args: unknown[], prefix = ''): void {
  const short = (error as BuyapowaError).problems || [(error as Error).message];
  loadChunk('explain', 'problems are shown short')
    .then((api) => (api.explain as Explain)(short, args))
    .catch(() => short)
    .then((full) => (full.length === short.length ? full : short).forEach((line) => log('error', prefix + line)));
}

/** The explain chunk's wording of a conversion's problems: its own full-text check. @internal */
export type ExplainConversion = (conversion: unknown) => Pick<CheckedConversion, 'errors' | 'warnings'>;

/**
 * Logs a conversion's problems, found by the track chunk's short check (`short`): in full once the
 * explain chunk has checked `conversion` again, else short. Warnings are warnings, errors say that
 * nothing was sent. Logs nothing at once; never throws. @internal
 */
export function reportConversion(conversion: unknown, short: Pick<CheckedConversion, 'errors' | 'warnings'>): void {
  if (!short.errors.length && !short.warnings.length) return;
  loadChunk('explain', 'problems are shown short')
    .then((api) => (api.conversion as ExplainConversion)(conversion))
    .catch(() => short)
    .then((full) => {
      const same = full.errors.length === short.errors.length && full.warnings.length === short.warnings.length;
      const { errors, warnings } = same ? full : short;
      warnings.forEach((line) => log('warn', 'track: ' + line));
      errors.forEach((line) => log('error', 'track: ' + line + '. Nothing was sent.'));
    });
}
