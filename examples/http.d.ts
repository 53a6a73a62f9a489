// Types of http.js: node:http helpers shared by the example servers.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export const MAX_BODY_BYTES: number;
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}
export type Route = [spec: string, handler: (ctx: RouteContext) => unknown];
export function createRouter(
  routes: Route[],
): (method: string, pathname: string) => { handler: Route[1]; params: Record<string, string> } | { allowed: string[] } | null;
export function createServer(name: string, handle: (req: IncomingMessage, res: ServerResponse) => unknown): Server;
export function listen(server: Server, port: number, host?: string): Promise<number>;
export function close(server: Server): Promise<void>;
export function send(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void;
export function sendHtml(res: ServerResponse, status: number, page: unknown, headers?: Record<string, string>): void;
/** `value` as a path on this origin, or null. */
export function sameOriginPath(value: unknown): string | null;
export function redirect(res: ServerResponse, status: number, location: string): void;
export function serveFile(req: IncomingMessage, res: ServerResponse, dir: string, name: string, missingHint?: string): Promise<void>;
export function cors(req: IncomingMessage): Record<string, string>;
export function preflight(req: IncomingMessage, res: ServerResponse): void;
export function readBody(req: IncomingMessage, limit?: number): Promise<{ text: string; tooLarge: boolean }>;
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string };
export function readJson(req: IncomingMessage, limit?: number): Promise<{ ok: true; value: unknown } | { ok: false; error: string }>;
export function readForm(req: IncomingMessage, limit?: number): Promise<{ form: URLSearchParams; tooLarge: boolean }>;
export function cookieNames(req: IncomingMessage): string[];
