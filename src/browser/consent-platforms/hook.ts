// The script tag's side of the consent platforms, kept tiny: it recognises the names, keeps
// consent pending and loads the platform's chunk (an adapter with follow.ts), which then takes over.
import { routeSetConsent, setState, type ConsentPlatform, type ConsentState } from '../consent';
import { log } from '../log';
import type { ConsentAdapter, takeOver } from './follow';

/** What the consent chunk gives the hook: each platform's adapter, and follow.ts's {@link takeOver}. */
export type PlatformChunk = Record<ConsentPlatform, ConsentAdapter> & { takeOver: typeof takeOver };

/**
 * Lets `setConsent` (and so `data-consent` and the `consent` option) take `"tcf"`, `"google"` and
 * `"shopify"`: consent is pending at once, and the consent chunk, which `load` gives, follows the
 * platform with the script tag's `options` (its data attributes, read by the chunk). A state given
 * meanwhile wins. @internal
 */
export function setPlatformLoader(load: () => PlatformChunk | Promise<PlatformChunk>, options: Record<string, unknown>): void {
  let wanted: string | undefined;
  routeSetConsent((next) => {
    if (typeof next !== 'string' || !/^(tcf|google|shopify)$/.test(next)) {
      wanted = undefined;
      return setState(next as ConsentState);
    }
    if (wanted === next) return;
    wanted = next;
    setState('pending');
    const platform = next as ConsentPlatform;
    Promise.resolve()
      .then(load)
      .then((chunk) => wanted === next && chunk.takeOver(platform, chunk, options))
      .catch((error) => log('error', `consent "${platform}"`, error));
  });
}
