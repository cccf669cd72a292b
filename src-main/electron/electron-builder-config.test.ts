/**
 * Checks electron-builder.yml offline: against the JSON schema electron-builder itself validates
 * with (a valid config otherwise only shows up after an Electron download that fails here), and
 * for the security-relevant settings a schema cannot require.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const repoFile = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const readJson = (path: string): unknown => JSON.parse(readFileSync(repoFile(path), 'utf8'));

interface BuilderConfig {
  appId?: string;
  productName?: string;
  directories?: { output?: string };
  files?: string[];
  asarUnpack?: string[];
  npmRebuild?: boolean;
  electronFuses?: Record<string, boolean>;
  linux?: { target?: string[]; category?: string };
  win?: { target?: string[] };
  mac?: { target?: string[] };
}

const config = load(readFileSync(repoFile('electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('matches the schema shipped with app-builder-lib', () => {
    // The same Ajv options electron-builder uses, minus type coercion: our types must be exact.
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(readJson('node_modules/app-builder-lib/scheme.json') as object);
    const isValid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('the schema check really rejects a misspelt option', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(readJson('node_modules/app-builder-lib/scheme.json') as object);
    expect(validate({ ...config, electronFuse: { runAsNode: false } })).toBe(false);
  });

  it('names the app and its output folder', () => {
    expect(config.appId).toBe('org.neurosphere.workstation');
    expect(config.productName).toBe('Neurosphere');
    expect(config.directories?.output).toBe('release');
  });

  it('sets every security fuse', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packages the build and the models, and unpacks native addons', () => {
    expect(config.files).toEqual(
      expect.arrayContaining([
        'dist/**',
        'models/**/*.onnx',
        'models/**/manifest.json',
        'models/**/MODEL_CARD.md',
        'package.json',
      ]),
    );
    expect(config.asarUnpack).toContain('**/*.node');
    // Node-API addons are ABI-stable: no rebuild against Electron's headers.
    expect(config.npmRebuild).toBe(false);
  });

  it('builds AppImage and deb, NSIS and MSI, and DMG', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toContain('MedicalSoftware');
    expect(config.win?.target).toEqual(['nsis', 'msi']);
    expect(config.mac?.target).toEqual(['dmg']);
  });

  it('starts the file package.json names as main, which tsc emits from main.ts', () => {
    const pkg = readJson('package.json') as { main?: string };
    const tsconfig = readJson('src-main/electron/tsconfig.json') as {
      compilerOptions: { outDir: string };
    };
    const outDir = new URL(`${tsconfig.compilerOptions.outDir}/`, new URL('./', import.meta.url));
    const emittedMain = fileURLToPath(new URL('main.js', outDir));
    expect(emittedMain).toBe(repoFile(pkg.main ?? ''));
  });
});
