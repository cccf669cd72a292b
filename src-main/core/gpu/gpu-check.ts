import type { GpuCheck } from '../../../src-shared/contract/gpu.js';
import type { ProviderPreference } from '../inference/execution-providers.js';
import type { ProbeResult } from '../inference/inference-protocol.js';
import type { GpuDevice } from './gpu-device.js';

const PROVIDER_NAMES = { cuda: 'CUDA', dml: 'DirectML' } as const;

/** The platform's GPU provider in onnxruntime-node: CUDA on Linux, DirectML on Windows. */
export function gpuProviderOf(platform: NodeJS.Platform): 'cuda' | 'dml' | null {
  if (platform === 'linux') return 'cuda';
  if (platform === 'win32') return 'dml';
  return null;
}

export interface GpuFindings {
  readonly platform: NodeJS.Platform;
  readonly preference: ProviderPreference;
  readonly device: GpuDevice;
  /** The GPU provider's files this build lacks (gpu-device.ts missingProviderFiles). */
  readonly missingFiles: readonly string[];
  /** The tiny model on the GPU provider; null when there is none to try. */
  readonly probe: ProbeResult | null;
  readonly checkedAt: string;
}

/**
 * Turns what the check found into the answer an admin reads: which provider analyses use, and
 * when it is the CPU, every reason found, the one to act on first.
 */
export function explainGpuCheck(findings: GpuFindings): GpuCheck {
  const gpuProvider = gpuProviderOf(findings.platform);
  const base = {
    checkedAt: findings.checkedAt,
    platform: findings.platform,
    gpuProvider,
    device: findings.device.description,
    ms: Math.round(findings.probe?.ms ?? 0),
  };
  if (gpuProvider === null) {
    return {
      ...base,
      provider: 'cpu',
      isGpuUsed: false,
      reason: `Neurosphere has no GPU provider for ${findings.platform}; analyses run on the CPU.`,
    };
  }
  const name = PROVIDER_NAMES[gpuProvider];
  const probeWorked = findings.probe !== null && findings.probe.error === null;
  if (findings.preference === 'cpu') {
    return {
      ...base,
      provider: 'cpu',
      isGpuUsed: false,
      reason:
        'NEUROSPHERE_EXECUTION_PROVIDER=cpu: an administrator set analyses to run on the CPU' +
        (probeWorked ? ` (${name} itself works on this machine).` : '.'),
    };
  }
  if (probeWorked) return { ...base, provider: gpuProvider, isGpuUsed: true, reason: null };
  const reasons: string[] = [];
  if (findings.missingFiles.length > 0)
    reasons.push(
      `this build does not include onnxruntime's ${name} provider (${findings.missingFiles.join(', ')} missing; docs/install.md, "GPU providers")`,
    );
  if (findings.device.problem !== null) reasons.push(findings.device.problem);
  if (findings.probe !== null && findings.probe.error !== null)
    reasons.push(`onnxruntime said: ${findings.probe.error}`);
  return {
    ...base,
    provider: 'cpu',
    isGpuUsed: false,
    reason: `${name} could not be used: ${reasons.join('; ')}. Analyses run on the CPU.`,
  };
}
