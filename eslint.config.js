// ESLint (flat config) for the TypeScript of this repository: `npm run lint`, run by CI.
// The rules are the ones the code already follows (eslint's and typescript-eslint's recommended and
// stylistic sets, tuned to the conventions below); formatting is left alone (no formatter rules).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      '.tools/',
      '.scai/',
      '.data/',
      'coverage/',
      // Sources of the example and fixture apps the analyser reads: not this project's code.
      'examples/',
      'test/fixtures/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  tseslint.configs.stylistic,
  {
    languageOptions: { globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Both `T[]` and `Array<T>` are in use.
      '@typescript-eslint/array-type': 'off',
      // A leading underscore marks what is left out on purpose (`const { status: _s, ...rest } = x`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // `ok ? a++ : b++;` counts as a statement.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // `const self = this` for callbacks that the library calls with its own `this`.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self'] }],
    },
  },
  {
    // Promises: the type-aware rules that catch a forgotten await, on the files of the project's
    // TypeScript programs (tsconfig.json, test/tsconfig.json, test/e2e/tsconfig.json, eval/tsconfig.json; the root's
    // *.ts and scripts/*.ts get a default program). A folder of TypeScript outside these gets the
    // rules above only, until a tsconfig includes it and it is added here.
    files: ['function/src/**/*.ts', 'operator/src/**/*.ts', 'lib/**/*.ts', 'test/**/*.ts', 'eval/**/*.ts', 'scripts/*.ts', '*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.ts', 'scripts/*.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // Tests and benches stub interfaces with empty methods and read loosely typed fixtures.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Deliberate: these reject control characters in user input.
    files: ['function/src/repo/source.ts', 'function/src/repo/url.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  // Known violations in the tree when this config was added (issue 10): fix the code, then delete the
  // entry, so that the rule guards these files too.
  { files: ['operator/src/controller.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
