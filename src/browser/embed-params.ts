// Reading what `embedReferAFriend` is given: the container, the error container, the options
// only the embed reads, and the params (the campaign slug and the seamless-login fields). Any
// getter or Proxy trap that throws becomes a BuyapowaError naming the field.
import type { BuyapowaConfig } from './config';
import { BuyapowaError } from '../core/errors';
import { browserError, embedProblem } from '../core/problems';
import { EMBED, fieldThrew } from '../core/messages';
import { log } from './log';
import { embedWording } from './embed-wording';

/** True in the script tag's embed and embed-explain chunks alone (src/browser/embed-wording.ts); npm bundles leave out what it guards. */
declare const __EMBED_WORDING__: boolean;

/** Where the embed's messages come from. @internal */
export const WHERE = 'embedReferAFriend';
const DEFAULT_CONTAINER_ID = 'bp_div';
/** The longest delay `setTimeout` honours; anything above fires at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** A campaign slug: letters, digits, `_`, `.` and `-`. */
const SLUG = /^[\w.-]+$/;

/** A seamless-login value `postMessage` can send and the campaign can use. @internal */
export type LoginValue = string | number | boolean;

/**
 * Reads `source[key]`; a getter or Proxy trap that throws becomes a BuyapowaError naming the
 * field. A `source` that is not an object reads as undefined.
 */
function readField(source: unknown, key: string): unknown {
  if (source === null || (typeof source !== 'object' && typeof source !== 'function')) return undefined;
  try {
    return (source as Record<string, unknown>)[key];
  } catch {
    throw browserError('invalid_config', WHERE, process.env.NODE_ENV !== 'production' ? fieldThrew(key) : key);
  }
}

/** Whatever was thrown, as a BuyapowaError: itself when it is one. @internal */
export function asBuyapowaError(thrown: unknown): BuyapowaError {
  try {
    if (thrown instanceof BuyapowaError) return thrown;
  } catch {
    // A thrown Proxy whose prototype trap throws: not ours.
  }
  return browserError('invalid_config', WHERE, process.env.NODE_ENV !== 'production' ? EMBED.unreadable : '');
}

const isElement = (value: unknown): value is HTMLElement => typeof value === 'object' && value !== null && value instanceof HTMLElement;

/** An element option: an element, the id of one (null when no such element), or a BuyapowaError. */
function elementOption(field: 'container' | 'errorContainer', value: unknown): HTMLElement | null {
  if (isElement(value)) return value;
  if (typeof value === 'string') return document.getElementById(value);
  throw browserError('invalid_config', WHERE, embedProblem(field, value));
}

/** The error container: none when not configured or not on the page (the embed still runs). @internal */
export function findErrorBox(config: unknown): HTMLElement | null {
  const value = readField(config, 'errorContainer');
  return value == null || value === '' ? null : elementOption('errorContainer', value);
}

/** The container; a BuyapowaError when it is missing. @internal */
export function findContainer(value: unknown): HTMLElement {
  const ref = value == null || value === '' ? DEFAULT_CONTAINER_ID : value;
  const box = elementOption('container', ref);
  if (!box) throw browserError('container_not_found', WHERE, embedProblem('container', ref));
  return box;
}

/** The options only the embed reads, checked by `resolveConfig`; the first problem found. @internal */
export function checkEmbedOptions(config: BuyapowaConfig): string | false {
  const timeout = readField(config, 'timeout');
  const title = readField(config, 'title');
  const ms = typeof timeout === 'number' || typeof timeout === 'string' ? Number(timeout) : NaN;
  if (timeout != null && !(ms > 0 && ms <= MAX_TIMEOUT_MS)) return embedProblem('timeout', timeout, '', 'timeout:embed');
  if (title != null && typeof title !== 'string') return embedProblem('title', title);
  return false;
}

/**
 * The campaign slug, and every other field as seamless login. A field `postMessage` cannot
 * send, or the campaign cannot use (a Symbol, a function, an object), is left out with one
 * warning naming it; the rest is sent. @internal
 */
export function readParams(params: unknown): { campaign: string; login: Record<string, LoginValue> } {
  const slug = readField(params, 'campaign');
  const campaign = typeof slug === 'string' ? slug.trim() : '';
  if (!SLUG.test(campaign)) throw browserError('invalid_config', WHERE, embedProblem('campaign', slug));
  const login: Record<string, LoginValue> = {};
  const names = typeof params === 'object' && params !== null ? Object.keys(params) : [];
  for (const name of names) {
    if (name === 'campaign') continue;
    const value = readField(params, name);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') login[name] = value;
    // In the script tag, handed to the embed's wording, which words the n-th again by running this again.
    else if (value != null)
      (__EMBED_WORDING__ ? embedWording()!.say : log)('warn', browserError('invalid_config', WHERE, embedProblem(name, value, 'not sent', 'login')).message);
  }
  return { campaign, login };
}
