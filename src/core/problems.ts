// How a browser call words its problems. Apart from errors.ts (the one BuyapowaError class, which
// the script tag's loader shares with its chunks) so that each script-tag chunk bundles its own
// copy of this module, built with the development texts, while the loader's copy keeps only the
// field name and a docs link (rollup.config.mjs: SHARED leaves this module out).
import { BuyapowaError, type BuyapowaErrorCode } from './errors';
import { explain, explainEmbed } from './messages';

/** The docs section of each error code: `{ERRORS_DOCS}{code}`. @internal */
export const ERRORS_DOCS = 'https://github.com/buyapowa-sdk/buyapowa-sdk/blob/main/docs/errors.md#';

/**
 * One problem of a browser call, by field: `"field" expected …, received …` (and the `note` of
 * NOTES in messages.ts) in development; only the field name in production, where
 * {@link browserError} adds the docs link. `id` picks the expectation when a field has several.
 * The texts are in messages.ts, reached only here, so production bundles leave them out.
 * @internal
 */
export const fieldProblem = (field: string, value: unknown, note?: string, id?: string): string =>
  process.env.NODE_ENV !== 'production' ? explain(field, value, note, id) : field;

/** {@link fieldProblem} for a field of the embed (its container, its params): their texts apart. @internal */
export const embedProblem = (field: string, value: unknown, note?: string, id?: string): string =>
  process.env.NODE_ENV !== 'production' ? explainEmbed(field, value, note, id) : field;

/**
 * The BuyapowaError of a browser call: each problem after `where: `. In production a problem is a
 * field name (see {@link fieldProblem}) or empty, and becomes `"field" (docs link)`. @internal
 */
export const browserError = (code: BuyapowaErrorCode, where: string, problems: string | string[]): BuyapowaError =>
  new BuyapowaError(
    code,
    ([] as string[])
      .concat(problems)
      .map((p) => where + (process.env.NODE_ENV !== 'production' ? ': ' + p : ': ' + (p ? `"${p}" ` : '') + `(${ERRORS_DOCS}${code})`)),
  );
