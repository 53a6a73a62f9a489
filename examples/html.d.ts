// Types of html.js: the auto-escaping `html` tagged template of the example servers.

/** HTML that is already safe: the result of `html` or `raw`. */
export interface SafeHtml {
  readonly text: string;
  toString(): string;
}
/** Any value as display text, never throwing. */
export function text(value: unknown): string;
/** Escapes any value for HTML content and double-quoted attributes. */
export function esc(value: unknown): string;
/** Marks a string as deliberate markup. Never pass data through it. */
export function raw(markup: string): SafeHtml;
/** The tagged template: every interpolated value is escaped unless it is SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml;
