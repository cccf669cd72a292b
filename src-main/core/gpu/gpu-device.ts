import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** What the operating system says about the graphics card: its name and driver, or why none. */
export interface GpuDevice {
  readonly description: string | null;
  /** Why no device was found (e.g. "nvidia-smi is not installed"); null when one was. */
  readonly problem: string | null;
}

function run(file: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, windowsHide: true }, (error, stdout) => {
      if (error !== null) reject(error);
      else resolve(stdout);
    });
  });
}

/**
 * The NVIDIA card on Linux (nvidia-smi, installed with the driver), the display adapters on
 * Windows (CIM); null elsewhere. Never throws: a missing tool is itself the answer.
 */
export async function detectGpuDevice(
  platform: NodeJS.Platform = process.platform,
  timeoutMs = 5_000,
): Promise<GpuDevice> {
  if (platform === 'linux') {
    try {
      const out = await run(
        'nvidia-smi',
        ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'],
        timeoutMs,
      );
      const cards = out
        .trim()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          const [name = '', driver = '', memory = ''] = line.split(',').map((part) => part.trim());
          return `${name} (driver ${driver}, ${memory})`;
        });
      return cards.length > 0
        ? { description: cards.join('; '), problem: null }
        : { description: null, problem: 'nvidia-smi lists no NVIDIA GPU' };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return {
        description: null,
        problem:
          code === 'ENOENT'
            ? 'no NVIDIA driver is installed (nvidia-smi was not found)'
            : `nvidia-smi failed (${(error as Error).message.split('\n')[0] ?? ''}): the NVIDIA driver may not be loaded`,
      };
    }
  }
  if (platform === 'win32') {
    try {
      const out = await run(
        'powershell.exe',
        [
          '-NoProfile',
          '-NonInteractive',
          '-Command',
          'Get-CimInstance Win32_VideoController | ForEach-Object { "$($_.Name) (driver $($_.DriverVersion))" }',
        ],
        timeoutMs,
      );
      const adapters = out
        .trim()
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '');
      return adapters.length > 0
        ? { description: adapters.join('; '), problem: null }
        : { description: null, problem: 'Windows lists no display adapter' };
    } catch (error) {
      return {
        description: null,
        problem: `the display adapters could not be listed (${(error as Error).message.split('\n')[0] ?? ''})`,
      };
    }
  }
  return { description: null, problem: null };
}

/** The files onnxruntime-node needs for the CUDA provider, next to its Linux x64 binding. */
export const CUDA_PROVIDER_FILES = [
  'libonnxruntime_providers_cuda.so',
  'libonnxruntime_providers_shared.so',
] as const;

/** Where onnxruntime-node keeps its native files for a platform (in the asar.unpacked copy when packaged). */
export function onnxRuntimeBinDir(platform: NodeJS.Platform, arch: string): string | null {
  try {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('onnxruntime-node/package.json'));
    // Packaged, the native files are unpacked next to the asar (electron-builder.yml asarUnpack).
    return join(root, 'bin', 'napi-v6', platform, arch).replace(
      /app\.asar([\\/])/,
      'app.asar.unpacked$1',
    );
  } catch {
    return null;
  }
}

/** The GPU provider's own files this build lacks (CUDA on Linux, DirectML on Windows). */
export function missingProviderFiles(
  platform: NodeJS.Platform,
  binDir: string | null,
  exists: (path: string) => boolean = existsSync,
): string[] {
  const needed =
    platform === 'linux' ? CUDA_PROVIDER_FILES : platform === 'win32' ? ['DirectML.dll'] : [];
  if (binDir === null) return [...needed];
  return needed.filter((file) => !exists(join(binDir, file)));
}
