import type { Analysis } from '../../../src-shared/contract/analysis.js';
import type { AppErrorData } from '../../../src-shared/errors.js';
import type { ModelRef } from './models.js';
import type { WrittenOutputs } from './write-outputs.js';

/** What the command says about one input: a scan it analysed, or files it could not. */
export interface InputResult {
  paths: string[];
  scanId: string | null;
  status: 'completed' | 'failed' | 'rejected';
  /** These files are byte for byte those of the input with this first path (same scan). */
  sameFileAs?: string;
  /** Why it failed or was rejected. */
  error?: AppErrorData;
  /** The analysis job, where one ran. */
  jobId?: string;
  /** The result as the contract's analysis.get returns it. */
  analysis?: Analysis;
  /** With --out: the files written. */
  outputs?: WrittenOutputs;
  /** With --report: the report PDF written. */
  report?: string;
  /** Things worth knowing that did not stop it (e.g. geometry the scan did not record). */
  warnings?: string[];
}

/** The --json document: one per run. */
export interface AnalyzeDocument {
  importJobId: string | null;
  inputs: InputResult[];
  models: { segmentation: ModelRef; classification: ModelRef | null };
  /** The execution provider of the analyses ('cpu', 'cuda', 'dml'); null when none completed. */
  provider: string | null;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_INTERRUPTED = 130;

/** 0 when every input was analysed (tumour or not), 130 after Ctrl-C, else 1. */
export function exitCodeOf(inputs: readonly InputResult[], isInterrupted: boolean): number {
  if (isInterrupted) return EXIT_INTERRUPTED;
  return inputs.every((input) => input.status === 'completed') ? EXIT_OK : EXIT_FAILURE;
}
