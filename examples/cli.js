// Command-line helpers of the example scripts (npm run platform, npm run demo): strict
// options with node:util parseArgs, and one line per problem (what was expected, what
// arrived), never a stack trace.
import net from 'node:net';
import { parseArgs } from 'node:util';

/** Exit code of a wrong command line. */
export const USAGE_ERROR = 2;
/** Exit code of a problem met while starting (a busy port). */
export const START_ERROR = 1;

/** Prints `<script>: <message>` on stderr and exits. */
/**
 * @param {string} script
 * @param {string} message
 * @returns {never}
 */
export function fail(script, message, code = USAGE_ERROR) {
  console.error(`${script}: ${message}`);
  process.exit(code);
}

const optionList = (/** @type {object} */ options) =>
  Object.keys(options)
    .map((name) => `--${name}`)
    .join(', ');

/** The options a misspelled or shortened one may mean ("--prot" → port, "--port" → platform-port or merchant-port). */
function closest(/** @type {object} */ options, /** @type {string} */ given) {
  const name = given.replace(/^-+/, '').split('=')[0].toLowerCase();
  if (!name) return [];
  const sorted = (/** @type {string} */ word) => [...word].sort().join('');
  return Object.keys(options).filter(
    (option) => sorted(option) === sorted(name) || option.startsWith(name) || name.startsWith(option) || option.endsWith('-' + name),
  );
}

/**
 * Parses `args` strictly against `options` (parseArgs' option config). A problem prints one
 * line naming what was expected and what arrived, and exits with USAGE_ERROR.
 *
 * @template {NonNullable<import('node:util').ParseArgsConfig['options']>} T
 * @param {string} script
 * @param {T} options
 * @returns {ReturnType<typeof parseArgs<{ args: string[], options: T, strict: true, allowPositionals: false }>>['values']}
 */
export function parseOptions(script, options, args = process.argv.slice(2)) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (caught) {
    const error = /** @type {Error & { code?: string }} */ (caught);
    const given = /'([^']+)'/.exec(error.message)?.[1] ?? '';
    if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const guesses = closest(options, given).map((option) => `--${option}`);
      fail(script, `unknown option "${given}"; expected ${optionList(options)}${guesses.length ? ` (did you mean ${guesses.join(' or ')}?)` : ''}`);
    }
    if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') fail(script, `unexpected argument "${given}"; expected options only: ${optionList(options)}`);
    if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      fail(script, `${error.message.split('.')[0].replace(/^Option /, 'option ')}; expected ${optionList(options)} with their values`);
    fail(script, `${error.message.split('\n')[0]}`);
  }
}

/** `value` as a port number (0-65535), or a one-line failure naming `--option`. */
export function portOption(/** @type {string} */ script, /** @type {string} */ option, /** @type {string} */ value) {
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port > 65535) fail(script, `--${option} expected a port number (0-65535), received ${JSON.stringify(value)}`);
  return port;
}

/** `value` as an absolute http(s) URL, or a one-line failure naming `--option`. */
export function urlOption(/** @type {string} */ script, /** @type {string} */ option, /** @type {string} */ value, /** @type {string} */ example) {
  let url = null;
  try {
    url = new URL(value);
  } catch {
    // not a URL: reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    fail(
      script,
      `--${option} expected an absolute http(s) URL, like "${example}", received ${JSON.stringify(value)}${/^[\w.-]+(:\d+)?(\/|$)/.test(value) ? ' (add the scheme: http://)' : ''}`,
    );
  return value;
}

/** Resolves null when `port` can be listened on at `host`, else the listen error (EADDRINUSE, EACCES…). */
/** @returns {Promise<(Error & { code?: string, port?: number }) | null>} */
export function probePort(/** @type {number} */ port, /** @type {string} */ host) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error) => resolve(error));
    probe.listen(port, host, () => probe.close(() => resolve(null)));
  });
}

/** The one line for a port that cannot be listened on. */
export function portProblem(/** @type {Error & { code?: string, port?: number }} */ error, /** @type {string} */ option, /** @type {string} */ host) {
  const port = error.port ?? '';
  if (error.code === 'EADDRINUSE') return `port ${port} on ${host} is busy (EADDRINUSE); expected a free port: pick another with --${option} N`;
  if (error.code === 'EACCES')
    return `port ${port} on ${host} is not allowed for this user (EACCES); expected a port above 1023: pick another with --${option} N`;
  return `could not listen on ${host}:${port} (${error.code || error.message}); pick another with --${option} N`;
}
