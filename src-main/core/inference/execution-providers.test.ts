import { describe, expect, it } from 'vitest';
import {
  defaultThreadCount,
  planProviders,
  providerPreferenceFromEnv,
} from './execution-providers.js';

describe('execution providers', () => {
  it('tries the platform GPU provider first and falls back to the CPU only in auto mode', () => {
    expect(planProviders('auto', 'linux')).toEqual({
      providers: ['cuda', 'cpu'],
      allowCpuFallback: true,
    });
    expect(planProviders('auto', 'win32')).toEqual({
      providers: ['dml', 'cpu'],
      allowCpuFallback: true,
    });
    expect(planProviders('auto', 'darwin')).toEqual({
      providers: ['cpu'],
      allowCpuFallback: false,
    });
    expect(planProviders('cuda', 'linux')).toEqual({
      providers: ['cuda'],
      allowCpuFallback: false,
    });
    expect(planProviders('cpu', 'win32')).toEqual({ providers: ['cpu'], allowCpuFallback: false });
  });

  it('reads the admin setting from NEUROSPHERE_EXECUTION_PROVIDER and refuses nonsense', () => {
    expect(providerPreferenceFromEnv({})).toBe('auto');
    expect(providerPreferenceFromEnv({ NEUROSPHERE_EXECUTION_PROVIDER: ' CPU ' })).toBe('cpu');
    expect(() => providerPreferenceFromEnv({ NEUROSPHERE_EXECUTION_PROVIDER: 'gpu' })).toThrow(
      /use one of auto, cpu, cuda, dml/,
    );
  });

  it('uses all cores up to four threads', () => {
    expect([1, 2, 8].map(defaultThreadCount)).toEqual([1, 2, 4]);
  });
});
