// Every long text the SDK says to a developer: what a field expects, what was received, and the
// integration advice. One module, so that a build can leave it out: the browser modules reach it
// only inside `process.env.NODE_ENV !== 'production'` branches (see problems.ts `fieldProblem`),
// which a merchant's production bundler drops, and the script tag may load it as a chunk of its
// own. Production keeps the error code, the field name and a link to docs/errors.md.
// The server and API helpers use `problem` and `received` unconditionally: their messages are
// never stripped (they are not sent to browsers).

/** How much of a received string a message quotes. */
const QUOTED_MAX_LENGTH = 60;

/**
 * Shows a received value in a message: `"abc"` (long strings cut, with `…`), `12`, `undefined`,
 * `Symbol(x)`, `a list`, `an object` or `a function`. Never throws, whatever it is given
 * (a Proxy, a revoked Proxy). The one helper every message uses. @internal
 */
export function received(value: unknown): string {
  try {
    if (typeof value === 'string') return JSON.stringify(value.length > QUOTED_MAX_LENGTH ? value.slice(0, QUOTED_MAX_LENGTH) + '…' : value);
    if (typeof value === 'function') return 'a function';
    if (value && typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
    return String(value);
  } catch {
    // Array.isArray throws on a revoked Proxy.
    return 'an object that cannot be read';
  }
}

/** `"field" expected X, received Y`. @internal */
export const problem = (field: string, expected: string, value: unknown): string => `"${field}" expected ${expected}, received ${received(value)}`;

/** Appended to a problem whose value still holds one of the guide's placeholders. @internal */
export const PLACEHOLDER_NOTE = ' (a placeholder from the integration guide was left in)';

/** `"https://bp.your-website.com"`: the form `url` takes, quoted in its messages. */
const URL_EXPECTED = 'your market domain, like "https://bp.your-website.com"';

/**
 * What each checked field expects, as its messages say it, by field name, or by a
 * `field:case` key where one field is checked for more than one thing. @internal
 */
export const EXPECTED: Record<string, string> = {
  // The config (src/browser/config.ts) and the calls' own options.
  config: 'an object like { url, market } whose fields can be read',
  url: URL_EXPECTED,
  'url:alone': 'your market domain alone, like "https://bp.your-website.com"',
  market: 'your market id',
  relay: 'a path like "/buyapowa" or an absolute URL',
  trackUrl: 'an absolute URL',
  timeout: 'milliseconds above 0',
  consent: '"granted", "pending" or "denied"',
  options: 'an object like { attribution: "first" } whose fields can be read',
  attribution: '"last" or "first"',
  attributionDays: 'days above 0',
  referralParams: 'a list of parameter names',
  cookieDomain: 'a domain like "shop.com"',
};

/**
 * What each checked field of the embed expects (src/browser/embed-params.ts), apart from the
 * config's: the script tag's embed chunk carries only these. @internal
 */
export const EMBED_EXPECTED: Record<string, string> = {
  'timeout:embed': `milliseconds above 0 and at most ${2 ** 31 - 1}`,
  title: 'a string',
  campaign: 'a slug like "refer-a-friend"',
  container: 'an element on this page, or its id',
  errorContainer: 'an element on this page, or its id',
  login: 'a string, number or boolean',
};

/**
 * What each checked conversion field expects (src/core/conversion.ts), apart from the browser's
 * table: the Shopify pixel checks conversions too, and carries only these. @internal
 */
export const CONVERSION_EXPECTED: Record<string, string> = {
  customer_email: 'an email address like "jane@example.com"',
  order_number: 'your unique order id',
  order_value: 'a decimal like "12.89"',
  marketing_opt_in: 'true or false',
  conversion: 'an object like { order_number, customer_email } whose fields can be read',
  'conversion:fields': 'fields that can be read',
  voucher_codes: 'a list of voucher codes',
  string: 'a string',
  own: 'your own value',
  'signed_keys:only': 'only fields of the conversion',
  signature: 'the signature of the signed keys',
};

/** What a reported problem adds after `received …`, by id. @internal */
export const NOTES: Record<string, string> = {
  placeholder: PLACEHOLDER_NOTE,
  'left out': ', so it is left out',
  'placeholder left out': PLACEHOLDER_NOTE + ', so it is left out',
  'sent as given': ', so it is sent as given',
  'not sent': '; it was not sent to the campaign',
};

/**
 * The development text of a problem: `"field" expected …, received …` and its note. `id` picks
 * the expectation (a field name or a `field:case` key, default `field`); `note` is an id of
 * {@link NOTES} or, when it is none, the text itself. @internal
 */
export const explain = (field: string, value: unknown, note?: string, id?: string): string => explainWith(EXPECTED, field, value, note, id);

/** {@link explain} for a field of the embed, from {@link EMBED_EXPECTED}. @internal */
export const explainEmbed = (field: string, value: unknown, note?: string, id?: string): string => explainWith(EMBED_EXPECTED, field, value, note, id);

/** {@link explain} for a conversion field, from {@link CONVERSION_EXPECTED}. @internal */
export const explainConversion = (field: string, value: unknown, note?: string, id?: string): string =>
  explainWith(CONVERSION_EXPECTED, field, value, note, id);

function explainWith(table: Record<string, string>, field: string, value: unknown, note = '', id = field): string {
  return problem(field, table[id] || id, value) + (NOTES[note] ?? note);
}

/** The `url` problem when it holds a path, a query or a fragment. @internal */
export const urlExtraProblem = (given: unknown, path: string, extra: string): string =>
  explain('url', given, `: remove ${path ? 'the path' : 'the query'} "${extra}"`, 'url:alone');

/** `track` and `noscriptPixelUrl`: a conversion's errors mean nothing was sent. @internal */
export const NOTHING_SENT = '. Nothing was sent.';

/** A call made where there is no page (server-side rendering). @internal */
export const NO_DOCUMENT = 'there is no document here; call it in the browser';

/** The warning for a field the integration guide does not know. @internal */
export const unknownFieldWarning = (key: string, known: string | undefined, sentAs: string | undefined, fields: string[]): string =>
  `"${key}" is not a field of the integration guide${known ? `: did you mean "${known}"?` : ` (known: ${fields.join(', ')}).`} It is sent as ${sentAs ? `"${sentAs}"` : 'given'}`;

/** `signed_keys` leaves out a field that should be signed. @internal */
export const signedKeysMissing = (key: string, signedKeys: unknown): string => problem('signed_keys', `to include "${key}"`, signedKeys);

// ---- The embed (src/browser/embed.ts) ---------------------------------------------------

/** What the embed says after `embedReferAFriend: campaign "…" at …` when it fails with `code`. @internal */
export function embedMessage(code: string, detail?: string | number): string {
  if (code === 'timeout') return ` did not answer within ${detail} ms`;
  if (code === 'campaign_not_found') return ': ' + detail;
  if (code === 'frame_failed') return detail === 'unreachable' ? ' is unreachable' : ' failed to load';
  return ': destroyed before it was ready';
}

/** The embed's other messages. @internal */
export const EMBED = {
  unreadable: 'the config or the params could not be read',
  login: ': the seamless login could not be sent to the campaign',
};

/** Reading a field of the config or the params threw. @internal */
export const fieldThrew = (key: string): string => `reading "${key}" threw`;

/** Added to the warning when the page posted nothing: browsers hide whether it runs or was refused. */
const QUIET_NOTE = ' (it posted nothing: if the frame shows an error, check X-Frame-Options and CSP frame-ancestors on the market domain)';

/** The warning for a campaign page that loaded but never answered the handshake. @internal */
export const noHandshakeWarning = (height: number, quiet: boolean): string =>
  ` does not answer the SDK's handshake: shown at ${height}px, without auto-height or seamless login` + (quiet ? QUIET_NOTE : '');

/** Advice: the market domain is on another site than the page. @internal */
export const otherSiteAdvice = (origin: string): string =>
  `${origin} is not on this page's site: its cookies are third-party and may be blocked (see the guide's cookie subdomain)`;

/** Advice: the container is narrower than the guide asks. @internal */
export const narrowAdvice = (name: string, width: number, available: number, guideWidth: number): string =>
  `${name} is ${width}px wide of ${available}px available; the guide asks for ${guideWidth}px (desktop) or the full width (mobile)`;
