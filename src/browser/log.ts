import { session } from './session';

/** Turns debug logging on (it stays on for the page once any config asks for it). @internal */
export function enableDebug(on: unknown): void {
  if (on) session().debug = true;
}

/** The lines an error adds to a message: a BuyapowaError's problems, or another error's message; never its stack. */
function linesOf(error: Error): string[] {
  const problems = (error as { problems?: unknown }).problems;
  return Array.isArray(problems) ? problems.map(String) : [String(error.message)];
}

/**
 * Logs `[Buyapowa] …` lines; debug lines only when debug is on. An error given as `detail`
 * gives one line per problem, with no stack trace: the message says what to fix. Never throws.
 * @internal
 */
export function log(level: 'error' | 'warn' | 'debug', message: string, detail: unknown = ''): void {
  if (level === 'debug' && !session().debug) return;
  try {
    const method = level === 'debug' ? 'info' : level;
    if (detail instanceof Error) for (const line of linesOf(detail)) console[method](`[Buyapowa] ${message}: ${line}`);
    else console[method]('[Buyapowa] ' + message, detail);
  } catch {
    // no console, or a detail that cannot be shown
  }
}
