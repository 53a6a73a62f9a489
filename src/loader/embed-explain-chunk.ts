// The embed-explain chunk (dist/chunks/embed-explain.<hash>.js): the full texts of the embed's
// lines. The embed chunk is built short (it is on every refer-a-friend page); when an embed has
// something to say it loads this chunk, which words the line again from what it is about
// (src/browser/embed-wording.ts): a refusal, or a param left out, by running the embed's checks
// again on its config and params, with this chunk's own development copies of them; a failure,
// the missing handshake or advice from its code and detail, after where the embed runs.
import { resolveConfig } from '../browser/config';
import { INITIAL_HEIGHT_PX } from '../browser/embed';
import { wordAdvice, type Advice } from '../browser/embed-advice';
import { checkEmbedOptions, findContainer, findErrorBox, readParams, WHERE } from '../browser/embed-params';
import { setEmbedWording, type EmbedEvent } from '../browser/embed-wording';
import type { BuyapowaError } from '../core/errors';
import { embedMessage, noHandshakeWarning } from '../core/messages';
import { registerChunk } from './registry';

/**
 * The embed's checks, in the embed's order, on `config` and `params`: the problems of the first
 * that refuses them, and the warnings of the params left out, in order (when the params were read).
 */
function check(config: never, params: unknown): { problems: string[]; leftOut: string[] } {
  const leftOut: string[] = [];
  // This chunk's readParams hands each warning to the wording (it is built like the embed chunk).
  setEmbedWording({ say: (_level, line) => leftOut.push(line) });
  try {
    findErrorBox(config);
    const settings = resolveConfig(config, WHERE, checkEmbedOptions);
    readParams(params);
    findContainer(settings.container);
    return { problems: [], leftOut };
  } catch (error) {
    return { problems: (error as BuyapowaError).problems || [], leftOut };
  }
}

/** The codes of the failures an embed can have once it runs (src/browser/embed.ts). */
const FAILURES = ['timeout', 'campaign_not_found', 'frame_failed'];

/** A line of an embed, in full (see WordEmbed in src/loader/embed-chunk.ts). */
function word(config: never, params: unknown, { code, detail, where }: EmbedEvent): string {
  if (code === 'advice') return wordAdvice(detail as Advice);
  if (!code) return check(config, params).leftOut[detail as number] || '';
  if (where && code === 'no_handshake') return where + noHandshakeWarning(INITIAL_HEIGHT_PX, detail === 'quiet');
  if (where && FAILURES.includes(code)) return where + embedMessage(code, detail as string);
  // A refusal: its problems, one line each, as the embed's error joins them.
  return check(config, params).problems.join('\n');
}

registerChunk('embed-explain', { word });
