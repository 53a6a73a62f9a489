// Resolves the imports of examples/nextjs in vitest as they resolve in a Next.js app: the example
// imports the package by name, so `buyapowa-sdk` and `buyapowa-sdk/<entry>` go to the sources
// (as examples/nextjs/tsconfig.json maps them for tsc; no build needed), and `next/navigation`,
// which is not installed here, to the shim in next-navigation.ts. The relay recipes of
// examples/relay/ (Express, Hono) get the same mapping for the package, so their test imports
// them in process. Only for importers inside those two folders: every other test resolves the
// package as before.
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vitest/config';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLE = ROOT + 'examples/nextjs/';
const RELAY_RECIPES = ROOT + 'examples/relay/';

/** The vitest (Vite) plugin that maps the package imports of examples/nextjs and examples/relay; see the file comment. */
export function nextjsExampleResolve(): Plugin {
  return {
    name: 'buyapowa-examples-nextjs',
    enforce: 'pre',
    resolveId(id, importer) {
      if (!importer || !(importer.startsWith(EXAMPLE) || importer.startsWith(RELAY_RECIPES))) return null;
      if (id === 'next/navigation' && importer.startsWith(EXAMPLE)) return ROOT + 'test/examples/next-navigation.ts';
      const entry = /^buyapowa-sdk(?:\/(server|react|api|shopify|element))?$/.exec(id);
      return entry ? ROOT + 'src/' + (entry[1] ?? 'index') + '.ts' : null;
    },
  };
}
