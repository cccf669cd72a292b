#!/usr/bin/env node
// The GPU providers a release ships (docs/install.md, "GPU providers"). Run on the connected
// Linux x64 build machine before `npm run dist`:
//
//   node scripts/gpu-providers.mjs fetch    downloads onnxruntime's CUDA 12 provider into
//                                            node_modules/onnxruntime-node/bin/napi-v6/linux/x64
//   node scripts/gpu-providers.mjs check    says, per platform, which provider files are there;
//                                            exits 1 if the Linux x64 CUDA files are missing
//
// `fetch` runs onnxruntime-node's own installer (its install script, which this repository's
// .npmrc skips because the build sandbox has no network) with ONNXRUNTIME_NODE_INSTALL=cuda12:
// it takes the files from the Microsoft.ML.OnnxRuntime.Gpu.Linux NuGet package of the same
// onnxruntime version, so they match libonnxruntime.so. electron-builder.yml unpacks that folder
// next to the asar for Linux builds; the TensorRT provider is not used and not shipped.
// DirectML needs no step: onnxruntime-node's win32 build carries DirectML.dll itself.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const ortRoot = dirname(require.resolve('onnxruntime-node/package.json'));
const ortVersion = JSON.parse(readFileSync(join(ortRoot, 'package.json'), 'utf8')).version;
const binDir = (os, cpu) => join(ortRoot, 'bin', 'napi-v6', os, cpu);

/** What each platform's GPU provider needs next to onnxruntime-node's binding. */
export const PROVIDER_FILES = {
  'linux/x64': {
    provider: 'CUDA 12',
    files: ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'],
  },
  'win32/x64': { provider: 'DirectML', files: ['DirectML.dll'] },
  'win32/arm64': { provider: 'DirectML', files: ['DirectML.dll'] },
};

function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Each platform's provider files: present (size, sha256) or missing. */
export function providerReport() {
  return Object.entries(PROVIDER_FILES).map(([target, { provider, files }]) => {
    const [os, cpu] = target.split('/');
    return {
      target,
      provider,
      files: files.map((file) => {
        const path = join(binDir(os, cpu), file);
        return existsSync(path)
          ? { file, present: true, bytes: statSync(path).size, sha256: sha256(path) }
          : { file, present: false };
      }),
    };
  });
}

function check() {
  let isLinuxComplete = true;
  for (const { target, provider, files } of providerReport()) {
    for (const entry of files) {
      const state = entry.present
        ? `${(entry.bytes / 1e6).toFixed(1)} MB  sha256 ${entry.sha256}`
        : 'MISSING';
      console.log(`${target.padEnd(12)} ${provider.padEnd(9)} ${entry.file.padEnd(38)} ${state}`);
      if (target === 'linux/x64' && !entry.present) isLinuxComplete = false;
    }
  }
  if (!isLinuxComplete) {
    console.log(
      '\nThe Linux CUDA provider is missing: a Linux build made now runs on the CPU only. Run ' +
        '"node scripts/gpu-providers.mjs fetch" on a Linux x64 machine with network access.',
    );
  }
  return isLinuxComplete ? 0 : 1;
}

function fetchCuda() {
  if (`${platform()}/${arch()}` !== 'linux/x64') {
    console.error(
      `fetch runs on the Linux x64 build machine (this is ${platform()}/${arch()}): onnxruntime-node's installer places the files for the machine it runs on.`,
    );
    return 1;
  }
  console.log(`Fetching the CUDA 12 provider of onnxruntime ${ortVersion} (NuGet)…`);
  const result = spawnSync(process.execPath, [join(ortRoot, 'script', 'install.js')], {
    stdio: 'inherit',
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12' },
  });
  if (result.status !== 0) {
    console.error(
      'onnxruntime-node could not download the provider (no network, or a proxy: set HTTPS_PROXY).',
    );
    return 1;
  }
  // TensorRT is not used (the app asks for CUDA or the CPU): keep its provider out of the build.
  rmSync(join(binDir('linux', 'x64'), 'libonnxruntime_providers_tensorrt.so'), { force: true });
  return check();
}

// Run as a command (not when a test imports the module for its report).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const command = process.argv[2] ?? 'check';
  if (command === 'fetch') process.exitCode = fetchCuda();
  else if (command === 'check') process.exitCode = check();
  else {
    console.error('Usage: node scripts/gpu-providers.mjs fetch|check');
    process.exitCode = 2;
  }
}
