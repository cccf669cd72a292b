import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUNDLED_COMPONENTS,
  missingComponents,
} from '../src-renderer/src/features/settings/licences.js';

// The Settings page lists the third-party components Neurosphere bundles. It must name what the
// app really runs, no more (a package for a feature that does not exist yet is not "bundled")
// and no less. What runs is read from the code: the packages production files import or load.
const root = new URL('..', import.meta.url).pathname;

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
const declared = [
  ...Object.keys(manifest.dependencies ?? {}),
  ...Object.keys(manifest.optionalDependencies ?? {}),
  ...Object.keys(manifest.devDependencies ?? {}),
];

/** Source that ends up in the app: not tests, test helpers, declarations or build configs. */
function productionFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .map((path) => join(folder, path))
    .filter((path) => /\.(ts|tsx|cts)$/.test(path))
    .filter(
      (path) => !/\.test\.tsx?$|\.d\.ts$|\.config\.ts$|(^|\/)(test-support|testing)\//.test(path),
    );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The declared packages these files use: named in a string as the whole specifier or its first
 * part (`import … from 'zod'`, `require('daikon/lib/…')`, a codec's path looked up at run time).
 */
function packagesUsedBy(files: readonly string[]): Set<string> {
  const text = files.map((file) => readFileSync(join(root, file), 'utf8')).join('\n');
  return new Set(
    declared.filter((name) =>
      new RegExp(`['"\`]${escapeRegExp(name)}(/[^'"\`]*)?['"\`]`).test(text),
    ),
  );
}

const mainFiles = [...productionFiles('src-main'), ...productionFiles('src-shared')];
const rendererFiles = productionFiles('src-renderer/src');
const usedByMain = packagesUsedBy(mainFiles);
const usedAtRuntime = new Set([...usedByMain, ...packagesUsedBy(rendererFiles)]);
const listed = BUNDLED_COMPONENTS.map((c) => c.name);
// Installed for a feature being built; each leaves this list (and joins the licences page) when
// the code first uses it.
const NOT_YET_USED: readonly string[] = [];

describe('the licences list', () => {
  it('gives each listed component its purpose', () => {
    expect(missingComponents()).toEqual([]);
    for (const component of BUNDLED_COMPONENTS)
      expect(component.purpose, component.name).not.toBe('');
  });

  it('names exactly the packages the app, the core and the renderer use at run time', () => {
    // The scan reaches nested folders (the codecs are loaded by path from core/imaging/codecs).
    expect(mainFiles).toContain(join('src-main', 'core', 'imaging', 'codecs', 'wasm-codecs.ts'));
    expect(rendererFiles.length).toBeGreaterThan(20);
    expect([...listed].sort()).toEqual([...usedAtRuntime].sort());
  });

  it('names no package for a feature that does not exist yet', () => {
    for (const unused of NOT_YET_USED) {
      expect(usedAtRuntime.has(unused), `${unused} is used by the code now`).toBe(false);
      expect(listed).not.toContain(unused);
    }
  });

  it('ships what the core loads: each is a production dependency (Electron is the app itself)', () => {
    const shipped = new Set(Object.keys(manifest.dependencies ?? {}));
    const notShipped = [...usedByMain].filter((name) => name !== 'electron' && !shipped.has(name));
    expect(notShipped, 'used by src-main but not in package.json dependencies').toEqual([]);
    const unlisted = [...shipped].filter(
      (name) => !listed.includes(name) && !NOT_YET_USED.includes(name),
    );
    expect(unlisted, 'in package.json dependencies but not on the licences page').toEqual([]);
  });
});
