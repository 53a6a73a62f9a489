// The loader's build-time modules for the unit tests (vitest.config.ts). In the build, rollup
// generates them (rollup.config.mjs): `virtual:bp-chunks` names each chunk's file and SRI hash,
// `virtual:bp-shared` holds the bindings the chunks take from the loader. Here each chunk is a
// `chunk:<name>` URL that serveChunks() (test/loader/serve-chunks.ts) answers by importing the
// chunk's source, which shares the loader's modules as any import does.
import type { Plugin } from 'vitest/config';

const TABLE = { track: ['chunk:track', ''], embed: ['chunk:embed', ''] };
/** What the embed chunk pins itself (rollup.config.mjs: PINNED_BY). */
const SUBCHUNKS = { 'embed-explain': ['chunk:embed-explain', ''] };

/** Resolves `virtual:bp-chunks`, `virtual:bp-subchunks` and `virtual:bp-shared` for tests that import the script tag. */
export function loaderVirtualModules(): Plugin {
  return {
    name: 'loader-virtual-modules',
    resolveId: (id) => (id === 'virtual:bp-chunks' || id === 'virtual:bp-shared' || id === 'virtual:bp-subchunks' ? '\0' + id : null),
    load: (id) =>
      id === '\0virtual:bp-chunks'
        ? `export default ${JSON.stringify(TABLE)};`
        : id === '\0virtual:bp-subchunks'
          ? `export default ${JSON.stringify(SUBCHUNKS)};`
          : id === '\0virtual:bp-shared'
            ? 'export default {};'
            : null,
  };
}
