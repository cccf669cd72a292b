import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveLocalImport, staticImportsOf } from './import-graph.js';

const root = new URL('../..', import.meta.url).pathname;

describe('staticImportsOf', () => {
  it('lists imports, type-only imports, re-exports and import = require', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "import { type C } from './c.js';",
      "export * from './d.js';",
      "export type { E } from './e.js';",
      "import f = require('./f.js');",
      "import './g.js';",
      "import { readFileSync } from 'node:fs';",
    ].join('\n');
    expect(staticImportsOf(text)).toEqual([
      './a.js',
      './b.js',
      './c.js',
      './d.js',
      './e.js',
      './f.js',
      './g.js',
      'node:fs',
    ]);
  });

  it('leaves out dynamic import() calls and text that only looks like an import', () => {
    const text = [
      "export const later = () => import('./lazy.js');",
      "export const spaced = () => import (\n  './spaced.js');",
      "// import { x } from './comment.js';",
      'export const s = "import { y } from \'./string.js\'";',
    ].join('\n');
    expect(staticImportsOf(text)).toEqual([]);
  });
});

describe('resolveLocalImport', () => {
  const from = join(root, 'src-main/core/core.ts');

  it('resolves a .js specifier to the .ts source', () => {
    expect(resolveLocalImport(from, './router.js')).toBe(join(root, 'src-main/core/router.ts'));
    expect(resolveLocalImport(from, '../../src-shared/errors.js')).toBe(
      join(root, 'src-shared/errors.ts'),
    );
  });

  it('gives null for packages and for files that do not exist', () => {
    expect(resolveLocalImport(from, 'zod')).toBeNull();
    expect(resolveLocalImport(from, 'node:fs')).toBeNull();
    expect(resolveLocalImport(from, './no-such-module.js')).toBeNull();
  });
});
