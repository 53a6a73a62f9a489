import { BuyapowaError, type BuyapowaErrorCode } from './errors';

// Reading what a caller passed without trusting it: a value may be a Symbol, a function, a
// Proxy whose traps throw, or an object with throwing getters.

/**
 * Shows a received value in a message without running any of its code (no getter, no
 * `toString`, no Proxy trap), so it never throws: `"abc"`, `12`, `undefined`, `a symbol`,
 * `a function` or `an object`. @internal
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.slice(0, 60));
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    case 'bigint':
      return value + 'n';
    case 'object':
      return value === null ? 'null' : 'an object';
    default:
      return String(value);
  }
}

/** `"field" expected X, received Y`, for any received value. @internal */
export const describeProblem = (field: string, expected: string, value: unknown): string =>
  `"${field}" expected ${expected}, received ${describeValue(value)}`;

/** Says what was thrown (an Error's name and message, or the value), never throwing itself. @internal */
export function describeThrown(thrown: unknown): string {
  try {
    if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`;
  } catch {
    // A Proxy or a getter that throws again: fall through to the plain description.
  }
  return describeValue(thrown);
}

/**
 * Reads `source[key]`; a getter or Proxy trap that throws becomes a BuyapowaError naming the
 * field. A `source` that is not an object reads as undefined. @internal
 */
export function readField(source: unknown, key: string, where: string, code: BuyapowaErrorCode = 'invalid_config'): unknown {
  if (source === null || (typeof source != 'object' && typeof source != 'function')) return undefined;
  try {
    return (source as Record<string, unknown>)[key];
  } catch (error) {
    throw new BuyapowaError(code, `${where}: reading "${key}" threw ${describeThrown(error)}`);
  }
}

/** Whatever was thrown, as a BuyapowaError (itself when it already is one). @internal */
export function asBuyapowaError(thrown: unknown, where: string, code: BuyapowaErrorCode = 'invalid_config'): BuyapowaError {
  try {
    if (thrown instanceof BuyapowaError) return thrown;
  } catch {
    // A thrown Proxy whose prototype trap throws: not ours.
  }
  return new BuyapowaError(code, `${where}: the arguments could not be read (${describeThrown(thrown)})`);
}
