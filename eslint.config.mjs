import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.cache/**', 'test-output/**', 'test/e2e/output/**', '**/*.generated.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['extension/src/engine/**', 'extension/src/diagram/**', 'extension/src/server/**', 'extension/src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'The engine and diagram are pure: vscode only in extension/src/vscode/.' }] },
      ],
    },
  },
  {
    // The engine's index.ts is its surface: nothing outside the engine reaches into its folders.
    files: ['extension/src/**', 'webview/src/**'],
    ignores: ['extension/src/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'vscode only in extension/src/vscode/.' }],
          patterns: [
            {
              regex: '(^|/)engine/.+',
              message: 'Import the engine through its surface (extension/src/engine/index.ts), not its folders.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['extension/src/vscode/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)engine/.+',
              message: 'Import the engine through its surface (extension/src/engine/index.ts), not its folders.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'bin/**', 'scripts/**'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
      },
    },
  },
  {
    // The bin shim is CommonJS on purpose: it runs on any Node without a loader.
    files: ['bin/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
