#!/usr/bin/env node
// buyapowa: the guide's server APIs from a shell, a thin wrapper around buyapowa-sdk/api.
// Credentials come only from the environment (never a flag, so they stay out of shell history).
// Data goes to stdout (or --out), progress and problems to stderr.
import { createReadStream, createWriteStream, existsSync, realpathSync } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse as parseCsv } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';

// The SDK, from the build. The specifier is a variable so that type-checking needs no build:
// the types are the source's.
const BUILT = '../dist/api.js';
/** @typedef {typeof import('../src/api')} Sdk */
/** @typedef {import('../src/api').BuyapowaApi} Api */
/** @typedef {import('../src/api').BatchResult} BatchResult */
/**
 * Where the CLI writes, and the environment it reads the credentials from.
 * @typedef {{
 *   stdout: { write(text: string): unknown },
 *   stderr: { write(text: string): unknown, isTTY?: boolean },
 *   env: Record<string, string | undefined>,
 * }} Io
 */
/**
 * The parsed options (parseArgs with OPTIONS).
 * @typedef {{
 *   region?: string, 'base-url'?: string, 'dry-run': boolean, 'rows-per-request'?: string, from?: string, to?: string,
 *   out?: string, 'send-invites': boolean, 'distribute-voucher': boolean, help: boolean, version: boolean,
 * }} Values
 */
/** @typedef {{ update(progress: import('../src/api').BatchProgress): void, done(): void }} Progress */

const NAME = 'buyapowa';
const USAGE = `Usage: buyapowa <command> [arguments] [options]

Commands:
  reports <type> <campaign> [--from DATE] [--to DATE] [--out FILE]
                             download a report as CSV (types: signups, friends, friend_voucher_distribution,
                             pending_referrals, who_referred_whom, top_referrers, all_vouchers_distribution)
  track <file.csv|file.jsonl>           track conversions (CSV with the guide's headings, or JSON lines)
  reconcile <file.csv|file.jsonl>       confirm, fail, manual-pass or restore referrals
  signups <campaign> <file> [--send-invites] [--out FILE]
                                        sign customers up; writes their ShareURL and DashboardURL as CSV
  friends <campaign> <file> [--distribute-voucher]
                                        register friends
  subscribe <file|email>                re-subscribe users to the refer-a-friend emails
  unsubscribe <file|email>              unsubscribe users
  forget <file|email>                   erase users' personal data

Options:
  --region eu|na             eu: api.co-buying.com (default), na: api.co-buying.net
  --base-url URL             another API host (the dev platform: http://127.0.0.1:8787)
  --dry-run                  check every row and print what would be sent; send nothing
  --rows-per-request N       rows per upload (default 5000)
  --help, --version

Credentials: BUYAPOWA_MARKET (your market ID) and BUYAPOWA_AUTH_TOKEN, from the environment.
DATE: YYYY-MM-DD, an ISO time, or UNIX seconds.
Exit status: 0 done, 1 the API or a row had a problem (one line each on stderr), 2 bad usage.
`;

/** @satisfies {import('node:util').ParseArgsConfig['options']} */
const OPTIONS = {
  region: { type: 'string' },
  'base-url': { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  'rows-per-request': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  out: { type: 'string' },
  'send-invites': { type: 'boolean', default: false },
  'distribute-voucher': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
};

/**
 * Positional arguments each command takes.
 * @type {Record<string, string[]>}
 */
const COMMANDS = {
  reports: ['type', 'campaign'],
  track: ['file'],
  reconcile: ['file'],
  signups: ['campaign', 'file'],
  friends: ['campaign', 'file'],
  subscribe: ['file or email'],
  unsubscribe: ['file or email'],
  forget: ['file or email'],
};

class UsageError extends Error {}

/** @param {string[]} argv @param {Io} io @returns {Promise<number>} */
async function main(argv, io) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(/** @type {Error} */ (error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return (io.stdout.write(USAGE), 0);
  if (values.version) {
    const pkg = await import('../package.json', { with: { type: 'json' } });
    return (io.stdout.write(pkg.default.version + '\n'), 0);
  }
  const [command, ...args] = positionals;
  if (!command) throw new UsageError('expected a command (reports, track, reconcile, signups, friends, subscribe, unsubscribe, forget), received nothing');
  const wanted = COMMANDS[command];
  if (!wanted) throw new UsageError(`expected a command (${Object.keys(COMMANDS).join(', ')}), received ${JSON.stringify(command)}`);
  if (args.length !== wanted.length)
    throw new UsageError(
      `${command} expected ${wanted.map((w) => `<${w}>`).join(' ')}, received ${args.length ? args.map((a) => JSON.stringify(a)).join(' ') : 'nothing'}`,
    );

  /** @type {Sdk} */
  let sdk;
  try {
    sdk = await import(BUILT);
  } catch (error) {
    io.stderr.write(`${NAME}: cannot load dist/api.js (${/** @type {Error} */ (error).message}). Run "npm run build" first.\n`);
    return 1;
  }
  const dryRun = values['dry-run'];
  const api = client(sdk, values, dryRun, io);
  const rowsPerRequest = values['rows-per-request'] === undefined ? undefined : Number(values['rows-per-request']);
  if (rowsPerRequest !== undefined && !(Number.isInteger(rowsPerRequest) && rowsPerRequest > 0))
    throw new UsageError(`--rows-per-request expected a whole number above 0, received ${JSON.stringify(values['rows-per-request'])}`);
  const progress = progressBar(io);
  const batchOptions = { rowsPerRequest, dryRun, onProgress: progress.update };

  switch (command) {
    case 'reports':
      return report(io, api, args[0], args[1], values, dryRun);
    case 'track':
      return finishBatch(io, await api.referrals.trackBatch(rowsOf(sdk, 'track', args[0]), batchOptions), progress, dryRun);
    case 'reconcile':
      return finishBatch(io, await api.referrals.reconcileBatch(rowsOf(sdk, 'reconcile', args[0]), batchOptions), progress, dryRun);
    case 'friends':
      return finishBatch(
        io,
        await api.friends.registerBatch(rowsOf(sdk, 'friends', args[1]), {
          ...batchOptions,
          campaign_slug: args[0],
          distribute_friend_voucher: values['distribute-voucher'],
        }),
        progress,
        dryRun,
      );
    case 'signups': {
      const signupOptions = { ...batchOptions, campaign_slug: args[0], send_auto_invite_emails: values['send-invites'] };
      if (dryRun) {
        // A dry run returns no generated rows: show the chunks as onProgress saw them.
        /** @type {import('../src/api').ChunkResult[]} */
        const chunks = [];
        await api.signups.createBatch(rowsOf(sdk, 'signups', args[1]), { ...signupOptions, onProgress: ({ chunk }) => chunks.push(chunk) });
        return finishBatch(io, { rows: chunks.length ? chunks[chunks.length - 1].lastRow : 0, chunks, problems: [] }, progress, true);
      }
      const rows = await api.signups.createBatch(rowsOf(sdk, 'signups', args[1]), signupOptions);
      progress.done();
      await writeOut(io, values.out, rows.length ? stringify(rows, { header: true, columns: Object.keys(rows[0]) }) : '');
      io.stderr.write(`${NAME}: ${rows.length} signup(s) with share and dashboard links\n`);
      return 0;
    }
    default: {
      const target = args[0];
      /** @type {{ single: (p: { user: import('../src/api').ApiUser }) => Promise<import('../src/api').ApiResult>, batch: Api['users']['forgetBatch'] }} */
      const endpoint =
        command === 'forget'
          ? { single: (p) => api.users.forget(p), batch: (r, o) => api.users.forgetBatch(r, o) }
          : {
              single: (p) => api.subscriptions[/** @type {'subscribe' | 'unsubscribe'} */ (command)](p),
              batch: (r, o) => api.subscriptions[/** @type {'subscribeBatch' | 'unsubscribeBatch'} */ (`${command}Batch`)](r, o),
            };
      const isEmail = !existsSync(target) && target.includes('@');
      if (isEmail && !dryRun) {
        const result = await endpoint.single({ user: { email: target } });
        return finishSingle(io, result);
      }
      return finishBatch(io, await endpoint.batch(isEmail ? [target] : rowsOf(sdk, 'emails', target), batchOptions), progress, dryRun);
    }
  }
}

/** @param {Sdk} sdk @param {Values} values @param {boolean} dryRun @param {Io} io @returns {Api} */
function client(sdk, values, dryRun, io) {
  const market = io.env.BUYAPOWA_MARKET;
  const authToken = io.env.BUYAPOWA_AUTH_TOKEN;
  const missing = [!market && 'BUYAPOWA_MARKET (your market ID)', !authToken && 'BUYAPOWA_AUTH_TOKEN (your auth token)'].filter(Boolean);
  if (missing.length && !dryRun) throw new UsageError(`expected ${missing.join(' and ')} in the environment, received nothing`);
  if (values.region !== undefined && !['eu', 'na'].includes(values.region))
    throw new UsageError(`--region expected eu or na, received ${JSON.stringify(values.region)}`);
  return new sdk.BuyapowaApi({
    market: market || 'dry-run',
    authToken: authToken || 'dry-run',
    region: /** @type {import('../src/api').Region | undefined} */ (values.region), // checked above
    baseUrl: values['base-url'],
  });
}

/**
 * Rows from a file: CSV with the guide's headings (streamed), JSON lines, or one email per line.
 * They are unchecked here: the batch call checks each one as the type `Row` says.
 * @template Row
 * @param {Sdk} sdk
 * @param {import('../src/api').GuideCsvKind} kind
 * @param {string} file
 * @returns {AsyncGenerator<Row>}
 */
async function* rowsOf(sdk, kind, file) {
  if (!existsSync(file)) throw new UsageError(`expected a readable file, received ${JSON.stringify(file)} (no such file)`);
  const extension = extname(file).toLowerCase();
  if (extension === '.jsonl' || extension === '.ndjson') {
    let line = 0;
    for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      line++;
      if (!text.trim()) continue;
      try {
        yield /** @type {Row} */ (JSON.parse(text));
      } catch (error) {
        throw new UsageError(
          `${file} line ${line} expected a JSON object, received ${JSON.stringify(text.slice(0, 60))} (${/** @type {Error} */ (error).message})`,
        );
      }
    }
    return;
  }
  if (kind === 'emails' && extension === '.txt') {
    for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (text.trim()) yield /** @type {Row} */ (text.trim());
    return;
  }
  const parser = createReadStream(file).pipe(parseCsv({ columns: true, skip_empty_lines: true, bom: true, trim: false }));
  for await (const record of parser) yield /** @type {Row} */ (sdk.fromGuideCsv(kind, record));
}

/**
 * @param {Io} io
 * @param {Api} api
 * @param {string} type
 * @param {string} campaign
 * @param {Values} values
 * @param {boolean} dryRun
 * @returns {Promise<number>}
 */
async function report(io, api, type, campaign, values, dryRun) {
  /** @type {import('../src/api').ReportRange} */
  const range = {};
  if (values.from !== undefined) range.starts_at = date(values.from, '--from');
  if (values.to !== undefined) range.ends_at = date(values.to, '--to');
  if (dryRun) {
    io.stdout.write(`GET /api/reports/${type}/${campaign} ${JSON.stringify(range)}\n`);
    return 0;
  }
  const out = values.out ? createWriteStream(values.out) : io.stdout;
  /** @type {string[] | undefined} */
  let columns;
  let count = 0;
  for await (const row of api.reports.stream(/** @type {import('../src/api').ReportType} */ (type), campaign, range)) {
    if (!columns) {
      columns = Object.keys(row);
      out.write(stringify([columns]));
    }
    out.write(stringify([columns.map((c) => row[c] ?? '')]));
    if (++count % 1000 === 0 && io.stderr.isTTY) io.stderr.write(`\r${NAME}: ${count} rows`);
  }
  if (values.out) {
    const file = /** @type {import('node:fs').WriteStream} */ (out);
    await /** @type {Promise<void>} */ (
      new Promise((resolve, reject) => file.end(/** @param {Error | null} [error] */ (error) => (error ? reject(error) : resolve())))
    );
  }
  io.stderr.write(`${io.stderr.isTTY ? '\r' : ''}${NAME}: ${count} row(s) of ${type}\n`);
  return 0;
}

/**
 * Writes `text` to --out, or to stdout.
 * @param {Io} io
 * @param {string | undefined} file
 * @param {string} text
 * @returns {Promise<void>}
 */
async function writeOut(io, file, text) {
  if (!file) return void io.stdout.write(text);
  const out = createWriteStream(file);
  await /** @type {Promise<void>} */ (
    new Promise((resolve, reject) => out.end(text, /** @param {Error | null} [error] */ (error) => (error ? reject(error) : resolve())))
  );
}

/** @param {string} text @param {string} flag @returns {number | Date} */
function date(text, flag) {
  if (/^\d+$/.test(text)) return Number(text);
  const parsed = new Date(text);
  if (Number.isNaN(parsed.getTime()))
    throw new UsageError(`${flag} expected a date (YYYY-MM-DD, an ISO time or UNIX seconds), received ${JSON.stringify(text)}`);
  return parsed;
}

/** @param {Io} io @param {import('../src/api').ApiResult} result @returns {number} */
function finishSingle(io, result) {
  io.stdout.write(JSON.stringify({ status: result.status, created: result.created, problems: result.problems, body: result.body }) + '\n');
  for (const problem of result.problems) io.stderr.write(`${NAME}: ${problem}\n`);
  return result.problems.length ? 1 : 0;
}

/**
 * @param {Io} io
 * @param {Pick<BatchResult, 'rows' | 'chunks' | 'problems'>} result
 * @param {Progress} progress
 * @param {boolean} dryRun
 * @returns {number}
 */
function finishBatch(io, result, progress, dryRun) {
  progress.done();
  if (dryRun) {
    for (const chunk of result.chunks) io.stdout.write(`# rows ${chunk.firstRow}-${chunk.lastRow}: would be sent as this CSV\n${chunk.body}`);
    io.stderr.write(`${NAME}: dry run: ${result.rows} row(s) checked in ${result.chunks.length} chunk(s); nothing sent\n`);
    return 0;
  }
  const summary = {
    rows: result.rows,
    chunks: result.chunks.map((c) => ({ firstRow: c.firstRow, lastRow: c.lastRow, status: c.status, created: c.created, problems: c.problems })),
    problems: result.problems,
  };
  io.stdout.write(JSON.stringify(summary) + '\n');
  for (const problem of result.problems)
    io.stderr.write(
      `${NAME}: ${problem.row ? `row ${problem.row}` : `rows ${problem.firstRow}-${problem.lastRow}`}: ${problem.message.replace(/^row \d+: /i, '')}\n`,
    );
  io.stderr.write(`${NAME}: ${result.rows} row(s) sent in ${result.chunks.length} chunk(s), ${result.problems.length} problem(s)\n`);
  return result.problems.length ? 1 : 0;
}

/**
 * A progress line on stderr when it is a terminal, redrawn at most ten times a second.
 * @param {Io} io
 * @returns {Progress}
 */
function progressBar(io) {
  const tty = io.stderr.isTTY;
  let last = 0;
  let shown = false;
  return {
    update({ rowsSent, chunksSent }) {
      if (!tty || Date.now() - last < 100) return;
      last = Date.now();
      shown = true;
      const width = 20;
      const filled = chunksSent % (width + 1);
      io.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${rowsSent.toLocaleString('en')} rows, ${chunksSent} chunk(s)`);
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
}

/**
 * Runs the CLI with `argv` (the arguments after the command name) and resolves with its exit
 * status. Output goes to `io.stdout` and `io.stderr`, credentials come from `io.env`: the bin
 * runs it with the process's own; tests run it in-process with their own.
 * @param {string[]} argv
 * @param {Io} [io]
 * @returns {Promise<number>}
 */
export async function run(argv, io = { stdout: process.stdout, stderr: process.stderr, env: process.env }) {
  try {
    return await main(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${NAME}: ${error.message}\nRun buyapowa --help for usage.\n`);
      return 2;
    }
    if (error && /** @type {Error} */ (error).name === 'BuyapowaApiError') {
      const apiError = /** @type {import('../src/api').BuyapowaApiError} */ (error);
      const lines = apiError.problems.length ? apiError.problems : [apiError.message];
      const where = apiError.batch
        ? ` (rows ${apiError.batch.firstRow}-${apiError.batch.lastRow}; ${apiError.batch.rowsSent} row(s) before them were sent)`
        : '';
      io.stderr.write(`${NAME}: ${apiError.code}${apiError.status ? ` (HTTP ${apiError.status})` : ''}${where}\n`);
      for (const line of lines) io.stderr.write(`${NAME}: ${line}\n`);
      return 1;
    }
    const message = error && /** @type {Error} */ (error).message;
    io.stderr.write(`${NAME}: ${message ? message : error}\n`);
    return 1;
  }
}

// Run as a command (also through npm's bin link), not when imported.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) run(process.argv.slice(2)).then((code) => (process.exitCode = code));
