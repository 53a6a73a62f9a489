let debugOn: unknown;

/** Turns debug logging on (it stays on for the page once any config asks for it). @internal */
export const enableDebug = (on: unknown): unknown => (debugOn ||= on);

/** Logs one `[Buyapowa] …` line; debug lines only when debug is on. Never throws. @internal */
export function log(level: 'error' | 'warn' | 'debug', message: string, detail: unknown = ''): void {
  if (level != 'debug' || debugOn)
    try {
      console[level == 'debug' ? 'info' : level]('[Buyapowa] ' + message, detail);
    } catch {
      // no console
    }
}
