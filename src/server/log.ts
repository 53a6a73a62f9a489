// Where the server handlers report what the merchant should know: a `logger` option, `console`
// by default. Only `error` and `warn` are required, so pino, winston, a Workers logger or a test
// spy fits as it is.
import { problem } from '../core/errors';

/**
 * What a server handler logs through: `error` for what needs fixing (refused credentials, a
 * check that threw), `warn` for what was refused or degraded (a bad signature, a bp_e that does
 * not decrypt), `info` (optional) for routine notes. Each call gets one message string, and the
 * error that caused it when there is one.
 *
 * @example
 * ```ts
 * createRelay({ market, authToken, secret, logger: { error: (m, e) => log.error({ err: e }, m), warn: (m) => log.warn(m) } });
 * ```
 */
export interface Logger {
  /** Something is wrong and needs fixing. */
  error(message: string, error?: unknown): void;
  /** Something was refused or degraded; nothing to fix on your side unless it repeats. */
  warn(message: string, error?: unknown): void;
  /** A routine note. Optional. */
  info?(message: string): void;
}

/** The `logger` option: `console` when absent; a problem is added when it is no logger. @internal */
export function loggerOption(value: unknown, where: string, problems: string[]): Logger {
  if (value === undefined) return console;
  const given = value as Partial<Logger>;
  if (value && typeof value === 'object' && typeof given.error === 'function' && typeof given.warn === 'function') return given as Logger;
  problems.push(`${where}: ` + problem('logger', 'an object with error() and warn() methods, like console', value));
  return console;
}
