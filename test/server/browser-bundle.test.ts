// @vitest-environment node
// The secret-handling entry must never reach a browser: bundle the browser entries as a
// merchant's bundler would, and check that no server module or server dependency is inside.
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';

const SERVER_ONLY = /src\/server(\.ts|\/)|@noble\/|canonicalize/;

async function inputsOf(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
    define: { __VERSION__: '"test"' },
  });
  return Object.keys(result.metafile!.inputs);
}

describe('browser bundles', () => {
  test.each(['src/index.ts', 'src/script-tag.ts'])('%s pulls in nothing from buyapowa-sdk/server', async (entry) => {
    const inputs = await inputsOf(entry);
    expect(inputs.some((file) => file.startsWith('src/'))).toBe(true); // the check sees real modules
    expect(inputs.filter((file) => SERVER_ONLY.test(file))).toEqual([]);
  });

  test('the check would catch the server entry', async () => {
    const inputs = await inputsOf('src/server.ts');
    expect(inputs.filter((file) => SERVER_ONLY.test(file)).length).toBeGreaterThan(2);
  });
});
