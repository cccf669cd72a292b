import { AppError } from '../../../src-shared/errors.js';
import type { ExecutionProviderName } from './inference-protocol.js';

/** 'auto' tries the platform's GPU provider and falls back to the CPU; the others are forced. */
export const PROVIDER_PREFERENCES = ['auto', 'cpu', 'cuda', 'dml'] as const;
export type ProviderPreference = (typeof PROVIDER_PREFERENCES)[number];

export interface ProviderPlan {
  providers: ExecutionProviderName[];
  allowCpuFallback: boolean;
}

/** CUDA on Linux, DirectML on Windows, CPU elsewhere; onnxruntime-node bundles those builds. */
export function planProviders(
  preference: ProviderPreference,
  platform: NodeJS.Platform = process.platform,
): ProviderPlan {
  switch (preference) {
    case 'cpu':
      return { providers: ['cpu'], allowCpuFallback: false };
    case 'cuda':
      return { providers: ['cuda'], allowCpuFallback: false };
    case 'dml':
      return { providers: ['dml'], allowCpuFallback: false };
    case 'auto':
      if (platform === 'linux') return { providers: ['cuda', 'cpu'], allowCpuFallback: true };
      if (platform === 'win32') return { providers: ['dml', 'cpu'], allowCpuFallback: true };
      return { providers: ['cpu'], allowCpuFallback: false };
  }
}

/** A sensible intra-op thread count: all cores up to 4 (more rarely helps a 2D U-Net). */
export function defaultThreadCount(cores: number): number {
  return Math.max(1, Math.min(4, cores));
}

/**
 * The admin's choice of execution provider from NEUROSPHERE_EXECUTION_PROVIDER (auto, cpu, cuda,
 * dml); 'auto' when unset. A value that is not one of those is refused at start-up with a message,
 * rather than silently running on another provider.
 */
export function providerPreferenceFromEnv(env: NodeJS.ProcessEnv): ProviderPreference {
  const value = env['NEUROSPHERE_EXECUTION_PROVIDER']?.trim().toLowerCase();
  if (value === undefined || value === '') return 'auto';
  if ((PROVIDER_PREFERENCES as readonly string[]).includes(value))
    return value as ProviderPreference;
  throw new AppError(
    'INVALID_INPUT',
    `NEUROSPHERE_EXECUTION_PROVIDER is "${value}"; use one of ${PROVIDER_PREFERENCES.join(', ')}.`,
  );
}
