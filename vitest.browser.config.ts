import { defineConfig } from 'vitest/config';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

// Browser tests: Debian's Chromium (playwright-core) against the dev platform and the example
// merchant over real HTTP. They need a build first (npm run build).
// Files run in parallel: each starts its own servers on free ports and opens its own contexts in
// one shared Chromium, and most of a test's time is spent waiting on the network, not the CPU.
// Waits on the SDK's timers (backoff, Retry-After, embed timeouts) use Playwright's fake clock.
export default defineConfig({
  define: { __VERSION__: JSON.stringify(pkg.version), __EMBED_WORDING__: 'false' },
  test: {
    name: 'browser',
    include: ['test/chromium/**/*.test.ts', 'test/**/*.browser.test.ts'],
    environment: 'node',
    testTimeout: 60000,
    hookTimeout: 60000,
    globalSetup: ['test/chromium/global-setup.ts'],
    fileParallelism: true,
    maxWorkers: 3,
    minWorkers: 1,
  },
});
