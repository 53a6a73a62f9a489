import { defineConfig } from 'vitest/config';
import { readFileSync } from 'node:fs';
import { nextjsExampleResolve } from './test/examples/nextjs-resolve';
import { loaderVirtualModules } from './test/loader/virtual-modules';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

// Two projects: `unit` (jsdom, and Node for the built package) and `browser`
// (vitest.browser.config.ts; needs `npm run build`). npm test runs them one after the other
// (npm run test:unit, then npm run test:browser): on a 2-core machine, the CPU-bound fuzz files
// beside Chromium starved vitest's own worker messages ("Timeout calling onTaskUpdate").
export default defineConfig({
  test: {
    projects: [
      {
        define: { __VERSION__: JSON.stringify(pkg.version), __EMBED_WORDING__: 'false' },
        // examples/nextjs imports buyapowa-sdk and next/navigation by name (see the plugin).
        plugins: [nextjsExampleResolve(), loaderVirtualModules()],
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/chromium/**', 'test/**/*.browser.test.ts', 'node_modules/**'],
          environment: 'jsdom',
          environmentOptions: { jsdom: { url: 'https://www.shop.com/' } },
          restoreMocks: true,
          // Beside the browser files on a busy machine, a CLI or theme-check run can take more
          // than the default 5 s. A limit on hanging, not a timing assertion.
          testTimeout: 30000,
          hookTimeout: 30000,
        },
      },
      './vitest.browser.config.ts',
    ],
    maxWorkers: 3,
    minWorkers: 1,
  },
});
