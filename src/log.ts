const PREFIX = '[Buyapowa] ';
let debugOn = false;

/** Turns debug logging on (it stays on for the page once any config asks for it). */
export function enableDebug(on: boolean | undefined): void {
  if (on) debugOn = true;
}

/** Logs one `[Buyapowa] …` line. Never throws, even without a console. */
export function log(level: 'error' | 'warn' | 'debug', message: string, detail?: unknown): void {
  if (level === 'debug' && !debugOn) return;
  try {
    const write = console[level === 'debug' ? 'info' : level];
    detail === undefined ? write(PREFIX + message) : write(PREFIX + message, detail);
  } catch {
    // no console: nothing to do
  }
}
