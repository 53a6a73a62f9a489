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
  // Size: no file in src/, bin/ or examples/ over 400 lines (CONTRIBUTING.md). The dev platform
  // also keeps each function under 150 lines (its handlers live in routes/ and api/).
  {
    files: ['src/**/*.ts', 'src/**/*.tsx', 'bin/**/*.js', 'examples/**/*.js', 'examples/**/*.ts', 'examples/**/*.tsx'],
    rules: { 'max-lines': ['error', { max: 400 }] },
  },
  {
    files: ['examples/platform/**/*.js'],
    rules: { 'max-lines-per-function': ['error', { max: 150 }] },
  },
  // === and !== everywhere (a comparison with null may use == to cover undefined too).
  // scripts/eqeqeq.mjs did the conversion where the type checker proved it changed nothing.
  {
    rules: { eqeqeq: ['error', 'always', { null: 'ignore' }] },
  },
  // The layout's rule (CONTRIBUTING.md): core/ is DOM-free and imports only core/; server/,
  // api/ and the Shopify generator and pixel never import the browser's page modules.
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../browser/*',
                '../server/*',
                '../api/*',
                '../shopify/*',
                '../*.ts',
                '../index',
                '../server',
                '../api',
                '../shopify',
                '../script-tag',
                '../global',
              ],
              message: 'core/ imports only core/ (see CONTRIBUTING.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/**/*.ts', 'src/api/**/*.ts', 'src/shopify/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../browser/*', '../index', '../script-tag', '../global'],
              message: 'server/, api/ and shopify/ never import browser/ (see CONTRIBUTING.md).',
            },
          ],
        },
      ],
    },
  },
);
