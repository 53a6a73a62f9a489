// The node:http adapter of the fetch handlers. Type-only imports of node:http, so this module
// loads on fetch-only runtimes too (workerd without nodejs_compat) and bundles anywhere.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BuyapowaError } from '../core/errors';
import { loggerOption, type Logger } from './log';

/** What a Node request may carry when a framework read the body first (Express's `verify` hook, Fastify). */
type NodeRequest = IncomingMessage & { rawBody?: Uint8Array | string; originalUrl?: string; body?: unknown };

/** Largest request body read, in bytes: the handlers take small JSON documents. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Mounts a fetch handler (`(request: Request) => Promise<Response>`) on node:http, Express,
 * Connect or Fastify's raw server: `(req, res) => void`.
 *
 * The body is read from the stream, or from `req.rawBody` when a framework already consumed it.
 * Webhook signatures are computed over the raw body, so mount webhook handlers before
 * `express.json()` (or keep the raw body). The URL's scheme is `https` when the socket is TLS
 * or `X-Forwarded-Proto` says so (the relay's `Secure` cookies depend on it). A handler that
 * throws answers 500.
 *
 * @param handler - Any handler of `buyapowa-sdk/server`, or your own fetch handler.
 * @param options - `logger`: where a handler that threw, an answer that could not be written,
 *   or a body read by a parser first is reported. Default `console`.
 * @returns A node:http request listener.
 * @example
 * ```ts
 * import http from 'node:http';
 * import { createRelay, toNodeListener } from 'buyapowa-sdk/server';
 * const relay = createRelay({ market: 'your-market', authToken: process.env.BUYAPOWA_AUTH_TOKEN!, secret: process.env.BUYAPOWA_SECRET! });
 * http.createServer(toNodeListener(relay)).listen(3000);
 * // Express: app.use('/buyapowa', toNodeListener(relay));
 * ```
 */
export function toNodeListener(
  handler: (request: Request) => Promise<Response>,
  options?: { logger?: Logger },
): (req: IncomingMessage, res: ServerResponse) => void {
  const problems: string[] = [];
  const logger = loggerOption(options?.logger, 'toNodeListener', problems);
  if (problems.length) throw new BuyapowaError('invalid_config', problems);
  return (req, res) => {
    void listen(handler, req as NodeRequest, res, logger);
  };
}

async function listen(handler: (request: Request) => Promise<Response>, req: NodeRequest, res: ServerResponse, logger: Logger): Promise<void> {
  let response: Response;
  try {
    response = await handler(await toRequest(req, logger));
  } catch (error) {
    if ((error as { status?: number }).status === 413) response = new Response('Payload too large', { status: 413 });
    else {
      logger.error('[Buyapowa] toNodeListener: the handler threw; answering 500', error);
      response = new Response('Internal Server Error', { status: 500 });
    }
  }
  try {
    const headers: Record<string, string | string[]> = {};
    response.headers.forEach((value, key) => {
      if (key !== 'set-cookie') headers[key] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length) headers['set-cookie'] = cookies;
    const body = req.method === 'HEAD' || response.body == null ? null : new Uint8Array(await response.arrayBuffer());
    res.writeHead(response.status, headers);
    res.end(body);
  } catch (error) {
    logger.error('[Buyapowa] toNodeListener: could not write the answer', error);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  }
}

/** An IncomingMessage as a web Request. */
async function toRequest(req: NodeRequest, logger: Logger): Promise<Request> {
  const forwarded = String(req.headers['x-forwarded-proto'] || '')
    .split(',')[0]
    .trim();
  const tls = (req.socket as { encrypted?: boolean } | undefined)?.encrypted;
  const scheme = tls || forwarded === 'https' ? 'https' : 'http';
  const host = req.headers.host || 'localhost';
  const url = new URL(req.originalUrl || req.url || '/', `${scheme}://${host}`);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers))
    if (value !== undefined && key[0] !== ':') for (const item of ([] as string[]).concat(value)) headers.append(key, item);
  const method = req.method || 'GET';
  const init: RequestInit = { method, headers };
  if (method !== 'GET' && method !== 'HEAD') init.body = (await readBody(req, logger)) as Uint8Array<ArrayBuffer>;
  return new Request(url, init);
}

async function readBody(req: NodeRequest, logger: Logger): Promise<Uint8Array> {
  const raw = req.rawBody;
  if (raw !== undefined) return typeof raw === 'string' ? new TextEncoder().encode(raw) : raw;
  // A body parser ran first and kept only the text: use it (a parsed object can't be re-read).
  if (req.readableEnded && typeof req.body === 'string') return new TextEncoder().encode(req.body);
  if (req.readableEnded && req.body !== undefined) {
    logger.error(
      '[Buyapowa] toNodeListener: a body parser (express.json()?) read the body first; mount this handler before it. Signatures over the raw body will not match.',
    );
    return new TextEncoder().encode(JSON.stringify(req.body));
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Uint8Array | string>) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    size += bytes.length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('request body over ' + MAX_BODY_BYTES + ' bytes'), { status: 413 });
    chunks.push(bytes);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}
