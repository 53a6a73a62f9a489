// Integration advice of the embed: development builds and the script tag only (embed.ts calls it
// behind `process.env.NODE_ENV !== 'production'` or `__EMBED_WORDING__`), so npm production
// bundles leave this module out. In the script tag, each piece is handed to the embed's wording
// as data (src/browser/embed-wording.ts), and worded on demand by {@link wordAdvice}.
import { log } from './log';
import { embedWording } from './embed-wording';
import { ERRORS_DOCS } from '../core/problems';
import { narrowAdvice, otherSiteAdvice } from '../core/messages';
import { session } from './session';

/** The guide's desktop width for the container. */
const GUIDE_DESKTOP_WIDTH_PX = 871;
/** Width differences this small are rounding, not a narrow container. */
const WIDTH_TOLERANCE_PX = 1;
/** The script tag's short line for a piece of advice, until it is worded. */
const SHORT_ADVICE = `embedReferAFriend (${ERRORS_DOCS}advice)`;

/** True in the script tag's embed and embed-explain chunks alone (src/browser/embed-wording.ts); npm bundles leave out what it guards. */
declare const __EMBED_WORDING__: boolean;

/** A piece of advice: the market domain on another site, or a container narrower than the guide asks. @internal */
export type Advice = { kind: 'site'; origin: string } | { kind: 'width'; name: string; width: number; available: number };

/** The words of a piece of advice. @internal */
export const wordAdvice = (advice: Advice): string =>
  advice.kind === 'site' ? otherSiteAdvice(advice.origin) : narrowAdvice(advice.name, advice.width, advice.available, GUIDE_DESKTOP_WIDTH_PX);

/** Warns once per page when the market domain is on another site, and once when the container is too narrow. */
export function adviseOnSiteAndWidth(origin: string, container: HTMLElement) {
  const page = session();
  if (!page.warnedSite && !isSameSite(origin)) {
    page.warnedSite = true;
    if (__EMBED_WORDING__) embedWording()?.say('warn', SHORT_ADVICE, { code: 'advice', detail: { kind: 'site', origin } });
    else log('warn', otherSiteAdvice(origin));
  }
  const narrow = !page.warnedWidth && narrowerThanGuide(container);
  if (narrow) {
    page.warnedWidth = true;
    const name = container.id ? '#' + container.id : 'The container';
    if (__EMBED_WORDING__) embedWording()?.say('warn', SHORT_ADVICE, { code: 'advice', detail: { kind: 'width', name, ...narrow } });
    else log('warn', narrowAdvice(name, narrow.width, narrow.available, GUIDE_DESKTOP_WIDTH_PX));
  }
}

/**
 * Same site when the page is on the market host's parent domain (bp.shop.com → shop.com,
 * shop.com → shop.com): the guide's setup, checked without a public suffix list or cookie.
 */
function isSameSite(origin: string): boolean {
  const url = new URL(origin);
  const site = ('.' + url.hostname).replace(/^\.[^.]+(?=\.[^.]+\.)/, '');
  return url.protocol === location.protocol && ('.' + location.hostname).endsWith(site);
}

/**
 * The container's width when it is narrower than both the guide's desktop width and the
 * width its parent offers; false otherwise. A container that fills its parent (a phone, a
 * padded column) is full width, whatever the viewport.
 */
function narrowerThanGuide(container: HTMLElement): { width: number; available: number } | false {
  const width = container.clientWidth;
  const parent = container.parentElement;
  if (!width || !parent) return false;
  const style = getComputedStyle(parent);
  const available = parent.clientWidth - (parseFloat(style.paddingLeft) || 0) - (parseFloat(style.paddingRight) || 0);
  return width < Math.min(GUIDE_DESKTOP_WIDTH_PX, available) - WIDTH_TOLERANCE_PX && { width, available: Math.round(available) };
}
