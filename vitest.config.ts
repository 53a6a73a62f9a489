import { defineConfig } from 'vitest/config';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default defineConfig({
  define: { __VERSION__: JSON.stringify(pkg.version) },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'test/**/*.browser.test.ts', 'node_modules/**'],
    environment: 'jsdom',
    environmentOptions: { jsdom: { url: 'https://www.shop.com/' } },
    restoreMocks: true,
  },
});
