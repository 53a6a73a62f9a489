// In jsdom, scripts are not fetched: this answers the loader's `<script src="chunk:<name>">`
// (test/loader/virtual-modules.ts) by importing the chunk's source, then firing `load`, as a
// browser does once the chunk has run (and registered).
const CHUNKS: Record<string, () => Promise<unknown>> = {
  track: () => import('../../src/loader/track-chunk'),
  embed: () => import('../../src/loader/embed-chunk'),
  explain: () => import('../../src/loader/explain-chunk'),
  'embed-explain': () => import('../../src/loader/embed-explain-chunk'),
};

/** Serves the script tag's chunks on this page until the returned function is called. */
export function serveChunks(): () => void {
  const observer = new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes) {
        const name = node instanceof HTMLScriptElement && node.src.startsWith('chunk:') ? node.src.slice('chunk:'.length) : '';
        if (CHUNKS[name])
          CHUNKS[name]().then(
            () => node.dispatchEvent(new Event('load')),
            () => node.dispatchEvent(new Event('error')),
          );
      }
  });
  observer.observe(document.head, { childList: true });
  return () => observer.disconnect();
}
