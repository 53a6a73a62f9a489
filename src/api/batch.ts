// Batches: rows from an array, an iterable or an async iterable, checked, written as CSV and
// sent a chunk at a time, so memory holds one chunk however many rows there are.
import { stringify } from 'csv-stringify/sync';
import { BuyapowaApiError } from './errors';
import { type ApiResult } from './http';
import { checkObject, csvCells, csvHeadings, type Field } from './fields';

/** Rows for a batch call: an array, any iterable (a generator) or an async iterable (a stream of parsed lines). */
export type Rows<Row> = Iterable<Row> | AsyncIterable<Row>;

/** Default number of rows sent in one request. */
export const DEFAULT_ROWS_PER_REQUEST = 5000;
/** How many row problems an `invalid_request` error lists before summarising the rest. */
const LISTED_PROBLEMS = 20;

/** Options every batch call takes. */
export interface BatchOptions {
  /** Rows per request (one CSV file each). Default 5000. */
  rowsPerRequest?: number;
  /** Called after each chunk is answered: for progress bars. */
  onProgress?: (progress: BatchProgress) => void;
  /** Check every row and build every CSV, but send nothing: each chunk's `body` is the CSV that would go. */
  dryRun?: boolean;
}

/** Progress of a batch after a chunk was answered. */
export interface BatchProgress {
  /** Rows answered so far. */
  rowsSent: number;
  /** Chunks answered so far. */
  chunksSent: number;
  /** The chunk just answered. */
  chunk: ChunkResult;
}

/** One chunk's answer, with the data rows (1-based, headings excluded) it carried. */
export interface ChunkResult<Body = unknown> extends ApiResult<Body> {
  /** 0-based chunk number. */
  index: number;
  /** First data row of the chunk, counting from 1 across the whole batch. */
  firstRow: number;
  /** Last data row of the chunk. */
  lastRow: number;
}

/** A problem the platform noted, with the rows it refers to. */
export interface BatchProblem {
  /** First row of the chunk the problem came from. */
  firstRow: number;
  /** Last row of the chunk the problem came from. */
  lastRow: number;
  /** The exact row, when the platform named one (`row N: …`, counted within the chunk). */
  row?: number;
  /** The problem, as the platform worded it. */
  message: string;
}

/** What a batch call resolves with. */
export interface BatchResult<Body = unknown> {
  /** Rows sent. */
  rows: number;
  /** Chunks whose answer was 201 (created). */
  createdChunks: number;
  /** Every chunk's answer, in order. */
  chunks: ChunkResult<Body>[];
  /** Every problem noted in a 200 body, with its row range. */
  problems: BatchProblem[];
}

/** What the batch engine needs from a resource. @internal */
export interface BatchSpec<Body> {
  rows: Rows<unknown>;
  fields: Field[];
  /** Turns a caller's row into the guide's object (e.g. an email string into `{ email }`). */
  toObject?: (row: unknown) => unknown;
  options?: BatchOptions;
  /** Sends one chunk's CSV. */
  send: (csv: string, firstRow: number, lastRow: number) => Promise<ApiResult<Body>>;
}

/** Runs a batch: checks, chunks, sends, collects. @internal */
export async function runBatch<Body>(spec: BatchSpec<Body>): Promise<BatchResult<Body>> {
  const size = rowsPerRequest(spec.options?.rowsPerRequest);
  const toObject = spec.toObject ?? ((row: unknown) => row);
  if (Array.isArray(spec.rows)) {
    // An array is already in memory: check it whole, so nothing is sent when any row is wrong.
    const problems: string[] = [];
    spec.rows.forEach((row, i) => problems.push(...checkObject(toObject(row), spec.fields, `row ${i + 1}`, 'string').problems));
    if (problems.length) throw invalidRows(problems);
  }
  const result: BatchResult<Body> = { rows: 0, createdChunks: 0, chunks: [], problems: [] };
  let index = 0;
  for await (const chunk of chunksOf(spec.rows, size)) {
    const firstRow = result.rows + 1;
    const lastRow = result.rows + chunk.length;
    const checked = chunk.map((row, i) => checkObject(toObject(row), spec.fields, `row ${firstRow + i}`, 'string'));
    const problems = checked.flatMap((c) => c.problems);
    if (problems.length) throw invalidRows(problems, { firstRow, lastRow, rowsSent: result.rows });
    const csv = toCsv(
      checked.map((c) => c.value),
      spec.fields,
    );
    let answer: ApiResult<Body>;
    if (spec.options?.dryRun) {
      answer = { status: 0, created: false, problems: [], body: csv as Body };
    } else {
      try {
        answer = await spec.send(csv, firstRow, lastRow);
      } catch (error) {
        throw withPosition(error, { firstRow, lastRow, rowsSent: result.rows });
      }
    }
    const chunkResult: ChunkResult<Body> = { ...answer, index, firstRow, lastRow };
    result.chunks.push(chunkResult);
    result.rows = lastRow;
    if (answer.created) result.createdChunks++;
    for (const message of answer.problems) result.problems.push(locate(message, firstRow, lastRow));
    index++;
    spec.options?.onProgress?.({ rowsSent: result.rows, chunksSent: index, chunk: chunkResult as ChunkResult });
  }
  return result;
}

/** Writes checked objects as one CSV file with the guide's headings. @internal */
export function toCsv(values: Record<string, unknown>[], fields: Field[]): string {
  const clientKeys: string[] = [];
  const seen = new Set<string>();
  for (const value of values) {
    for (const key of Object.keys((value.client_data ?? {}) as object)) {
      if (seen.has(key)) continue;
      seen.add(key);
      clientKeys.push(key);
    }
  }
  const records = [csvHeadings(fields, clientKeys), ...values.map((v) => csvCells(v, fields, clientKeys))];
  return stringify(records);
}

/** Groups rows into arrays of `size`, pulling from the source only as each chunk is needed. @internal */
export async function* chunksOf<Row>(rows: Rows<Row>, size: number): AsyncGenerator<Row[]> {
  let chunk: Row[] = [];
  for await (const row of rows as AsyncIterable<Row>) {
    chunk.push(row);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

function rowsPerRequest(value: unknown): number {
  if (value === undefined) return DEFAULT_ROWS_PER_REQUEST;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw new BuyapowaApiError('invalid_request', `"rowsPerRequest" expected a whole number above 0, received ${JSON.stringify(value)}`);
}

function invalidRows(problems: string[], batch?: { firstRow: number; lastRow: number; rowsSent: number }): BuyapowaApiError {
  const listed = problems.slice(0, LISTED_PROBLEMS);
  const more = problems.length > LISTED_PROBLEMS ? `\n…and ${problems.length - LISTED_PROBLEMS} more` : '';
  const sent = batch && batch.rowsSent ? `\n${batch.rowsSent} row(s) before these were already sent.` : '\nNothing was sent.';
  return new BuyapowaApiError('invalid_request', `${problems.length} problem(s) in the rows:\n${listed.join('\n')}${more}${sent}`, { problems, batch });
}

function withPosition(error: unknown, batch: { firstRow: number; lastRow: number; rowsSent: number }): unknown {
  if (!(error instanceof BuyapowaApiError)) return error;
  const message = `${error.message} (chunk of rows ${batch.firstRow}-${batch.lastRow}; ${batch.rowsSent} row(s) before it were sent)`;
  return new BuyapowaApiError(error.code, message, { status: error.status, problems: error.problems, body: error.body, batch, cause: error });
}

function locate(message: string, firstRow: number, lastRow: number): BatchProblem {
  const named = /^row (\d+)\b/i.exec(message);
  const problem: BatchProblem = { firstRow, lastRow, message };
  if (named) problem.row = firstRow + Number(named[1]) - 1;
  return problem;
}
