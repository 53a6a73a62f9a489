// The embed chunk (dist/chunks/embed.<hash>.js): the campaign iframe, loaded by the script tag the
// first time `embedReferAFriend` is called. It is on every refer-a-friend page, so it is built
// with short messages; what an embed has to say (a refusal, a failure, the missing handshake,
// advice) is worded in full by the embed-explain chunk (src/loader/embed-explain-chunk.ts), from
// the embed's config and params and what the line is about (src/browser/embed-wording.ts). That
// chunk is loaded only then, pinned by this chunk's SRI hash; when it cannot load, the short line
// is logged.
import type { BuyapowaConfig } from '../browser/config';
import { embedReferAFriend, type EmbedParams } from '../browser/embed';
import { setEmbedWording, type EmbedEvent, type EmbedWording } from '../browser/embed-wording';
import { log } from '../browser/log';
import { loadChunk, registerChunk } from './registry';
import pinned from 'virtual:bp-subchunks';

/**
 * The embed-explain chunk's function: a line of an embed of `config` and `params`, in full, from
 * what it is about (a param left out: `{ detail: n }`, the n-th); empty when it has no other words. @internal
 */
export type WordEmbed = (config: unknown, params: unknown, event: EmbedEvent) => string;

/**
 * The wording of one embed: each line logged in full once the embed-explain chunk has worded it
 * again, else as it is. Its warnings without an event (params left out) are numbered in order.
 */
function wordingOf(config: unknown, params: unknown): EmbedWording {
  let leftOut = 0;
  return {
    say: (level, line, event = { detail: leftOut++ }) =>
      void loadChunk('embed-explain', 'problems are shown short', pinned['embed-explain'])
        .then((api) => (api.word as WordEmbed)(config, params, event))
        .catch(() => '')
        .then((full) => log(level, full || line)),
  };
}

registerChunk('embed', {
  embed: (config: BuyapowaConfig, params: EmbedParams) => {
    setEmbedWording(wordingOf(config, params));
    return embedReferAFriend(config, params);
  },
});
