// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import importLayers from './scripts/eslint-rules/import-layers.js';
import noImportCycle from './scripts/eslint-rules/no-import-cycle.js';

/**
 * The layers (docs/layering.md). Paths are relative to the project root and matched as regular
 * expressions: `files` on the importing file, `forbid` on the file an import resolves to. Names
 * (`*-repo.ts`, `*-service.ts`) are matched as well as folders, so the contracts still hold when
 * repositories and services move into per-domain folders.
 * @type {import('./scripts/eslint-rules/import-layers.js').LayerContract[]}
 */
const layers = [
  {
    files: '^src-main/(serve|electron|cli)/',
    // Tests and test servers build cores with test-speed password hashing and a memory logger,
    // and read what a shell wrote with the core's decoders: they check the shell, they are not it.
    exceptFiles: '(\\.test\\.ts$|/testing/)',
    forbid: '^src-main/core/(?!index\\.ts$)',
    message:
      'a shell imports the core only through its public entry, src-main/core/index.ts (export what the shell needs from there).',
  },
  {
    files: '^src-main/core/repos/|-repo\\.ts$',
    forbid: '^src-main/core/services/|-service\\.ts$',
    message:
      'a repository reads and writes rows and calls no service (services call repositories, not the reverse).',
  },
  {
    files: '^src-main/core/imaging/',
    forbid: '^src-main/core/(analysis|imports?)/',
    message:
      'imaging (reading and decoding images) sits below analysis and import; they use it, it uses neither.',
  },
  {
    files: '^src-main/core/',
    // An end-to-end test may drive a shell (the import crash test runs the real CLI).
    exceptFiles: '(\\.test\\.ts$|/testing/)',
    forbid: '^src-main/(serve|electron|cli)/',
    message: 'the core knows no shell; shells call the core.',
  },
  {
    files: '^src-shared/',
    forbid: '^src-(main|renderer)/',
    message: 'the shared contract depends on nothing of the core or the renderer.',
  },
];

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
    files: ['src-main/**/*.{ts,cts}', 'src-shared/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    plugins: {
      local: { rules: { 'import-layers': importLayers, 'no-import-cycle': noImportCycle } },
    },
    rules: {
      'local/import-layers': ['error', layers],
      'local/no-import-cycle': 'error',
    },
  },
  {
    files: [
      'src-main/**/*.ts',
      'scripts/**/*.{js,mjs,ts}',
      'bin/**/*.js',
      'docs/**/*.mjs',
      'e2e/**/*.ts',
      '*.config.{js,ts}',
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // electron-builder's hooks (scripts/notarize.cjs) are CommonJS modules it require()s.
    files: ['scripts/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
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
