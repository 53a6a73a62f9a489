// The script tag's side of the consent platforms, kept tiny: it recognises the names, keeps
// consent pending and loads the platform's chunk (an adapter with follow.ts), which then takes over.
import { routeSetConsent, setState, type ConsentPlatform, type ConsentState, type PlatformOptions } from '../consent';
import { log } from '../log';
import type { ConsentAdapter, takeOver } from './follow';

/** What a platform's chunk gives the hook: its adapter, and follow.ts's `takeOver`. */
export interface PlatformChunk {
  /** The platform's adapter. */
  adapter: ConsentAdapter;
  /** follow.ts's {@link takeOver}. */
  takeOver: typeof takeOver;
}

/**
 * Lets `setConsent` (and so `data-consent` and the `consent` option) take `"tcf"`, `"google"` and
 * `"shopify"`: consent is pending at once, and the platform's chunk, which `load` gives, follows
 * it with the script tag's `options` (its data attributes). A state given meanwhile wins. @internal
 */
export function setPlatformLoader(load: (platform: ConsentPlatform) => PlatformChunk | Promise<PlatformChunk>, options: PlatformOptions): void {
  let wanted: string | undefined;
  routeSetConsent((next) => {
    if (!/^(tcf|google|shopify)$/.test(next)) {
      wanted = undefined;
      return setState(next as ConsentState);
    }
    if (wanted === next) return;
    wanted = next;
    setState('pending');
    const platform = next as ConsentPlatform;
    Promise.resolve()
      .then(() => load(platform))
      .then((chunk) => wanted === next && chunk.takeOver(platform, chunk.adapter, options, async (other) => (await load(other)).adapter))
      .catch((error) => log('error', `consent "${platform}" failed; consent stays "pending"`, error));
  });
}
