import { z } from 'zod';

/**
 * The result of the GPU check: onnxruntime's GPU provider for this platform (CUDA on Linux,
 * DirectML on Windows) tried with a tiny model in the inference process.
 */
export const gpuCheckSchema = z.object({
  checkedAt: z.string(),
  platform: z.string(),
  /** The GPU provider this platform would use; null where there is none (macOS). */
  gpuProvider: z.enum(['cuda', 'dml']).nullable(),
  /** The provider the tiny model ran on. */
  provider: z.enum(['cuda', 'dml', 'cpu']),
  isGpuUsed: z.boolean(),
  /** The graphics card and driver as the system reports them; null when none was found. */
  device: z.string().nullable(),
  /** Why the GPU is not used, in words an admin can act on; null when it is. */
  reason: z.string().nullable(),
  ms: z.number(),
});
export type GpuCheck = z.infer<typeof gpuCheckSchema>;

export const gpuStatusSchema = z.object({
  /** NEUROSPHERE_EXECUTION_PROVIDER: auto (GPU, then CPU), cpu, cuda or dml. */
  preference: z.string(),
  /** The last check (kept across restarts); null before the first. */
  last: gpuCheckSchema.nullable(),
  isChecking: z.boolean(),
});
export type GpuStatus = z.infer<typeof gpuStatusSchema>;
