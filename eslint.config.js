// ESLint flat config (examples/shopify/custom-pixel.js is generated, minified output): the recommended JavaScript and typescript-eslint rules (not type-checked,
// so it stays fast), browser globals for src/, Node globals for the tools, tests and examples.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['examples/shopify/custom-pixel.js', 'dist/', 'coverage/', 'node_modules/', 'bench/node_modules/', 'bench/results/', '.tmp/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.browser, ...globals.node } },
    rules: {
      // `_name` marks a parameter or variable kept for its position or documentation.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
);
