/**
 * The packaging check without the Electron binary: selects the app's files with
 * electron-builder's own FileMatcher and the rules of electron-builder.yml (files, the
 * node_modules exclusions, asarUnpack), packs them with @electron/asar the way electron-builder
 * does (createPackageFromStreams, unpacked flag per file), and then checks what an installed app
 * needs: the built app inside the asar, the native addons and their shared libraries unpacked at
 * the paths Node and onnxruntime load them from, only the target's binaries, and the models
 * unpacked where the app's own model-path resolution (defaultModelsDir) looks for them, with
 * the sha256 the app checks at start.
 */
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  type Stats,
} from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createPackageFromStreams,
  extractFile,
  listPackage,
  type AsarStreamType,
} from '@electron/asar';
import { FileMatcher } from 'app-builder-lib/out/fileMatcher.js';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModelsDir } from '../core/platform/models-dir.js';
import { makeTempDir, removeTempDir } from '../test-support/temp-dir.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url)).replace(/[\\/]$/, '');
const config = load(readFileSync(join(REPO, 'electron-builder.yml'), 'utf8')) as {
  files: string[];
  asarUnpack: string[];
};

interface Target {
  readonly platform: 'linux' | 'win32' | 'darwin';
  readonly arch: 'x64' | 'arm64';
}

/** electron-builder's `${platform}` and `${arch}` macros for one target. */
const expanderFor =
  (target: Target) =>
  (pattern: string): string =>
    pattern.replaceAll('${platform}', target.platform).replaceAll('${arch}', target.arch);

/** The production dependencies this check packs: the three native modules. */
const NATIVE_MODULES = ['better-sqlite3', 'onnxruntime-node', 'keytar'];

type Filter = (file: string, stat: Stats) => boolean;

function walk(root: string, filter: Filter, into: string[]): void {
  const stat = statSync(root);
  if (!filter(root, stat)) return;
  if (!stat.isDirectory()) {
    into.push(root);
    return;
  }
  for (const name of readdirSync(root)) walk(join(root, name), filter, into);
}

/** Repo-relative paths of the files electron-builder would put into the app for `target`. */
function selectAppFiles(target: Target): string[] {
  const expand = expanderFor(target);
  const appFilter = new FileMatcher(REPO, '/', expand, config.files).createFilter();
  // getNodeModuleFileMatcher (app-builder-lib, internal): everything, minus the exclusions.
  const excludes = config.files.filter((pattern) => pattern.startsWith('!'));
  const moduleFilter = new FileMatcher(REPO, '/', expand, ['**/*', ...excludes]).createFilter();
  const files: string[] = [];
  for (const top of ['dist', 'models', 'package.json']) walk(join(REPO, top), appFilter, files);
  for (const name of NATIVE_MODULES) {
    walk(join(REPO, 'node_modules', name), moduleFilter, files);
  }
  return files.map((file) => relative(REPO, file).split(sep).join('/'));
}

const sha256OfFile = (path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });

const hasBuild = existsSync(join(REPO, 'dist', 'src-main', 'electron', 'main.js'));

describe('which files a build ships', () => {
  it.each<Target>([
    { platform: 'linux', arch: 'x64' },
    { platform: 'win32', arch: 'x64' },
    { platform: 'darwin', arch: 'arm64' },
  ])("only the target's onnxruntime and SQLite binaries ($platform $arch)", (target) => {
    const files = selectAppFiles(target).filter((f) => f.startsWith('node_modules/'));
    const ortBinaries = files.filter((f) => f.includes('onnxruntime-node/bin/'));
    expect(ortBinaries.length).toBeGreaterThan(0);
    for (const file of ortBinaries) {
      expect(file).toContain(`/bin/napi-v6/${target.platform}/${target.arch}/`);
    }
    expect(ortBinaries).toContain(
      `node_modules/onnxruntime-node/bin/napi-v6/${target.platform}/${target.arch}/onnxruntime_binding.node`,
    );
    if (target.platform === 'win32') {
      expect(ortBinaries.some((f) => f.endsWith('/DirectML.dll'))).toBe(true);
    }
    const prebuilds = files.filter((f) => f.includes('better-sqlite3/prebuilds/'));
    expect(prebuilds).toEqual([
      `node_modules/better-sqlite3/prebuilds/${target.platform}-${target.arch}.node`,
    ]);
    // The JavaScript of the modules stays: an over-eager exclusion would break require().
    expect(files).toContain('node_modules/onnxruntime-node/dist/binding.js');
    expect(files).toContain('node_modules/better-sqlite3/lib/binding.js');
  });
});

describe('the packed app (linux x64)', () => {
  const target: Target = { platform: 'linux', arch: 'x64' };
  let temp: string | undefined;
  let asarPath: string;
  let unpackedDir: string;
  let inAsar: Set<string>;

  beforeAll(async () => {
    // Packs what the build wrote: without it every test below fails with this one reason.
    if (!hasBuild) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    temp = makeTempDir('neurosphere-pack-');
    asarPath = join(temp, 'resources', 'app.asar');
    unpackedDir = `${asarPath}.unpacked`;
    const unpackFilter = new FileMatcher(
      REPO,
      '/',
      expanderFor(target),
      config.asarUnpack,
    ).createFilter();
    const streams: AsarStreamType[] = selectAppFiles(target).map((path) => {
      const absolute = join(REPO, path);
      const stat = statSync(absolute);
      return {
        type: 'file',
        path,
        stat: { mode: stat.mode, size: stat.size },
        unpacked: unpackFilter(absolute, stat),
        streamGenerator: () => createReadStream(absolute),
      };
    });
    await createPackageFromStreams(asarPath, streams);
    // Lines read `pack   : /dist/…` (inside the archive) or `unpack : /…` (beside it).
    inAsar = new Set(
      listPackage(asarPath, { isPack: true })
        .filter((line) => line.startsWith('pack '))
        .map((line) => line.replace(/^pack\s*:\s*\//, '').replaceAll('\\', '/')),
    );
  }, 120_000);

  afterAll(() => {
    if (temp !== undefined) removeTempDir(temp);
  });

  it('holds the built app: main process, preload, core and renderer', () => {
    for (const file of [
      'package.json',
      'dist/src-main/electron/main.js',
      'dist/src-main/electron/preload.cjs',
      'dist/src-main/core/index.js',
      'dist/renderer/index.html',
    ]) {
      expect(inAsar.has(file), file).toBe(true);
    }
    const pkg = JSON.parse(extractFile(asarPath, 'package.json').toString('utf8')) as {
      main: string;
    };
    expect(inAsar.has(pkg.main)).toBe(true);
    // No compiled tests or test fixtures in an installed app.
    expect([...inAsar].filter((f) => f.endsWith('.test.js'))).toEqual([]);
    expect([...inAsar].some((f) => f.includes('test-support'))).toBe(false);
  });

  it('unpacks the native addons and their shared libraries where they are loaded from', () => {
    for (const file of [
      // better-sqlite3's lib/binding.js: prebuilds/<platform>-<arch>.node
      'node_modules/better-sqlite3/prebuilds/linux-x64.node',
      // onnxruntime-node's dist/binding.js, and the runtime it links against
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
      'node_modules/keytar/build/Release/keytar.node',
    ]) {
      expect(existsSync(join(unpackedDir, file)), file).toBe(true);
    }
    // Their JavaScript stays in the archive (Electron's require reads it from there).
    expect(inAsar.has('node_modules/onnxruntime-node/dist/binding.js')).toBe(true);
    expect(inAsar.has('node_modules/better-sqlite3/lib/index.js')).toBe(true);
  });

  it("puts the models where the app's model resolution looks, with the sha256 it checks", async () => {
    const modelsDir = defaultModelsDir(asarPath);
    expect(modelsDir).toBe(join(unpackedDir, 'models'));
    const ids = readdirSync(join(REPO, 'models')).filter((name) =>
      existsSync(join(REPO, 'models', name, 'manifest.json')),
    );
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const manifest = JSON.parse(readFileSync(join(modelsDir, id, 'manifest.json'), 'utf8')) as {
        file: string;
        sha256: string;
      };
      expect(await sha256OfFile(join(modelsDir, id, manifest.file)), id).toBe(manifest.sha256);
    }
    // Training scripts and data are not part of an installed app.
    expect(existsSync(join(modelsDir, 'training'))).toBe(false);
  });
});
