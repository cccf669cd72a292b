// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'worker_threads',
  'http',
  'net',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'models/training/**',
      'test-results/**',
      'playwright-report/**',
      '.reports/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: [
      'src-main/**/*.ts',
      'scripts/**/*.{js,mjs,ts}',
      'bin/**/*.js',
      'e2e/**/*.ts',
      '*.config.{js,ts}',
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Where code runs is a boundary: the core never imports Electron.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The core runs in plain Node; Electron code lives in src-main/electron.',
            },
          ],
        },
      ],
    },
  },
  {
    // The contract runs in the renderer, the preload and the core: no Node, no DOM, no Electron.
    files: ['src-shared/**/*.ts'],
    ignores: ['src-shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src-shared must not depend on Electron.' }],
          patterns: [{ group: nodeBuiltins, message: 'src-shared must not use Node built-ins.' }],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The renderer talks to the backend only through src-renderer/src/api.',
            },
          ],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer has no Node access.' },
            {
              group: ['**/src-main/**'],
              message:
                'The renderer imports nothing from src-main: shared types live in src-shared.',
            },
          ],
        },
      ],
    },
  },
);
