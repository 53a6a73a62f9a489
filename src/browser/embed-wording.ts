// How the script tag has the embed's lines worded. An npm build logs each line where it arises
// (in full in development, short in production). The script tag's embed chunk is built short, on
// every refer-a-friend page, with `__EMBED_WORDING__` true (rollup.config.mjs): for each embed it
// starts, it sets a wording (src/loader/embed-chunk.ts) to which the embed hands its lines, with
// what each is about, and which has the embed-explain chunk word them again, in full, loaded only
// then. Everything that uses this module does so behind `__EMBED_WORDING__`, a build-time constant
// that is false in npm builds, so npm bundles leave it out.

/** What a line of the embed is about, beyond the embed's config and params. @internal */
export interface EmbedEvent {
  /**
   * A failure's code (`timeout`, `campaign_not_found`, `frame_failed`), `no_handshake`, `advice`,
   * or a refusal's (`invalid_config`, `container_not_found`). A warning without an event is a
   * param left out of the seamless login: the embed's n-th.
   */
  code?: string;
  /** A failure's detail, the missing handshake's outcome, or the advice found. */
  detail?: unknown;
  /** With a failure or the missing handshake: `embedReferAFriend: campaign "…" at <origin>`. */
  where?: string;
}

/** The wording of one embed's lines. @internal */
export interface EmbedWording {
  /** Logs `line` at `level`, worded again from `event` (see {@link EmbedEvent}). */
  say(level: 'error' | 'warn', line: string, event?: EmbedEvent): void;
}

let current: EmbedWording | undefined;

/**
 * Sets the wording of the embeds that start from now on: the embed chunk sets one, bound to the
 * embed's config and params, right before it starts each embed. A line about the config or the
 * params is said while that embed starts, so it reaches that embed's wording; a line said later
 * (a failure, the missing handshake) carries all it is about in its event. @internal
 */
export function setEmbedWording(wording: EmbedWording): void {
  current = wording;
}

/** The wording set last. @internal */
export const embedWording = (): EmbedWording | undefined => current;
