// Shared by the webhooks and the segmentation endpoints: HMAC checks and HTTP Basic
// authentication, compared in constant time. Web Crypto (crypto.subtle) does the hashing and
// @noble/ciphers' equalBytes the comparison, so it runs on Node 20 and in workerd alike.
import { equalBytes } from '@noble/ciphers/utils.js';
import { BuyapowaError, problem } from '../core/errors';
import { isRecord } from '../core/stored-state';

const encoder = new TextEncoder();

/** The SHA-256 of some text: compared instead of the text, so the length leaks nothing. */
async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** Standard base64 (with or without padding) to bytes; null when it is not base64. @internal */
export function fromBase64(text: string): Uint8Array | null {
  const clean = text.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || !clean) return null;
  try {
    const binary = atob(clean);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

/**
 * Whether `signature` (base64) is the HMAC-SHA256 of `body` keyed with `secret`, compared in
 * constant time. @internal
 */
export async function hmacSha256Matches(body: Uint8Array, secret: string, signature: string | null): Promise<boolean> {
  const given = signature ? fromBase64(signature) : null;
  if (!given || given.length !== 32) return false;
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const expected = new Uint8Array(await crypto.subtle.sign('HMAC', key, body as Uint8Array<ArrayBuffer>));
  return equalBytes(expected, given);
}

/** HTTP Basic credentials a handler accepts. */
export interface BasicAuth {
  /** The user name Buyapowa is configured with. */
  username: string;
  /** The password Buyapowa is configured with. */
  password: string;
}

/** Checks `auth` when the handler is created: both parts non-empty strings. @internal */
export function checkBasicAuth(auth: unknown, where: string): BasicAuth {
  const given = (auth || {}) as Partial<BasicAuth>;
  const problems: string[] = [];
  if (!auth || typeof auth !== 'object') problems.push(`${where}: ` + problem('auth', 'HTTP Basic credentials, { username, password }', auth));
  else
    for (const key of ['username', 'password'] as const)
      if (typeof given[key] !== 'string' || !given[key])
        problems.push(
          `${where}: "auth.${key}" expected a non-empty string, received ${key === 'password' && typeof given[key] === 'string' ? 'an empty string' : typeof given[key]}`,
        );
  if (problems.length) throw new BuyapowaError('invalid_config', problems);
  if (given.username!.includes(':'))
    throw new BuyapowaError('invalid_config', `${where}: "auth.username" expected no ":" (HTTP Basic cannot carry one), received a user name with ":"`);
  return { username: given.username!, password: given.password! };
}

/**
 * Whether the request's `Authorization: Basic …` header carries exactly these credentials.
 * Both sides are hashed first, so the comparison is constant-time and length-blind. @internal
 */
export async function basicAuthMatches(request: Request, auth: BasicAuth): Promise<boolean> {
  const header = request.headers.get('authorization') || '';
  const match = /^\s*basic\s+(\S+)\s*$/i.exec(header);
  const decoded = match ? fromBase64(match[1]) : null;
  // Credentials are UTF-8 (RFC 7617's charset); an undecodable header still gets hashed and compared.
  const given = decoded ? new TextDecoder().decode(decoded) : '\u0000';
  const [expected, received] = await Promise.all([sha256(auth.username + ':' + auth.password), sha256(given)]);
  return equalBytes(expected, received) && !!decoded;
}

/** The 401 that asks for Basic credentials. @internal */
export const unauthorized = (realm: string): Response =>
  new Response(JSON.stringify({ status: 'unauthorized' }), {
    status: 401,
    headers: { 'content-type': 'application/json', 'www-authenticate': `Basic realm="${realm}", charset="UTF-8"` },
  });

/** A JSON answer. @internal */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** The JSON object a request body holds; null when it is not JSON, or JSON but not an object. @internal */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}
