// Parses a CSV body as it arrives. csv-parse's WHATWG TransformStream (`csv-parse/stream`) is
// loaded on first use, so runtimes without `node:stream/web` still load this module; there the
// body is read whole and parsed with the sync parser instead.
import { parse } from 'csv-parse/sync';

type RowStreamFactory = (options: object) => TransformStream<Uint8Array, Record<string, string>>;

const PARSE_OPTIONS = { columns: true, skip_empty_lines: true, bom: true };
let factory: Promise<RowStreamFactory | undefined> | undefined;

function loadFactory(): Promise<RowStreamFactory | undefined> {
  factory ??= import('csv-parse/stream').then(
    (module) => module.parse as unknown as RowStreamFactory,
    () => undefined,
  );
  return factory;
}

/** Yields a CSV body's rows, keyed by its header, as the bytes arrive. @internal */
export async function* parseCsvStream(body: ReadableStream<Uint8Array>): AsyncGenerator<Record<string, string>> {
  const create = await loadFactory();
  if (!create) {
    const text = await new Response(body).text();
    yield* parse(text, PARSE_OPTIONS) as unknown as Record<string, string>[];
    return;
  }
  const reader = body.pipeThrough(create(PARSE_OPTIONS)).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
