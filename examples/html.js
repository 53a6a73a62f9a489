// HTML for the example servers: an auto-escaping `html` tagged template. Every interpolated
// value is escaped unless it is itself `html` (a nested template) or marked with `raw()`, so
// markup that is meant to be markup says so where it is written.

/** @type {Record<string, string>} */
const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML that is already safe: the result of `html` or `raw`. */
class SafeHtml {
  constructor(/** @type {string} */ text) {
    this.text = text;
  }
  toString() {
    return this.text;
  }
}

/**
 * Any value as display text, never throwing: strings as they are, numbers and booleans as
 * written, null/undefined as '', anything else as JSON (objects from a request body may carry
 * a `toString` that is not a function).
 */
export function text(/** @type {unknown} */ value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Escapes any value for HTML content and double-quoted attributes. */
export const esc = (/** @type {unknown} */ value) => text(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);

/** Marks a string as deliberate markup: it is inserted as it is. Never pass data through it. */
export const raw = (/** @type {string} */ markup) => new SafeHtml(String(markup));

/** @returns {string} */
function insert(/** @type {unknown} */ value) {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(insert).join('');
  if (value === false) return '';
  return esc(value);
}

/**
 * The tagged template: html`<p>${name}</p>` escapes `name`. Arrays are joined (each item
 * escaped unless safe), `false`/null/undefined insert nothing, so `${cond && html`…`}` works.
 */
export function html(/** @type {TemplateStringsArray} */ strings, /** @type {unknown[]} */ ...values) {
  let out = strings[0];
  values.forEach((value, i) => {
    out += insert(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}
