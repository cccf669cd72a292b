import type { Analysis, Findings } from '../../../../src-shared/contract/analysis.js';
import type { Scan } from '../../../../src-shared/contract/entities.js';
import type { ModelManifest } from '../../../../src-shared/model-manifest.js';
import type { FrameService } from '../../imaging/frame-service.js';
import type { InferenceEngine, LoadedModel } from '../../inference/inference-engine.js';
import type { ScansRepo } from '../../scans/scans-repo.js';
import type { GateImage } from '../applicability/image-gate.js';

/** A part a model plays in a pipeline; its models are those whose manifest names the role. */
export interface PipelineRole {
  /** As in the manifest's `role`, e.g. "tumour-segmentation". */
  role: string;
  task: ModelManifest['task'];
  /** Without a required role the pipeline cannot run; an optional one is left out with a note. */
  isRequired: boolean;
  /** What the role gives the reader, for notes ("tumour type"). */
  gives: string;
}

/**
 * An analysis pipeline: one kind of findings from one kind of scan (brain MR tumour today;
 * chest X-ray and dental CBCT later). Adding one takes a module implementing this interface,
 * an entry in pipelines/index.ts and model manifests naming its roles.
 */
export interface AnalysisPipeline {
  id: string;
  /** The findings kind it produces (a member of the contract's findings union). */
  findingsKind: Exclude<Findings['kind'], 'not-applicable'>;
  /** Scans it is for, as DICOM Modality and BodyPartExamined values. */
  scope: { modalities: readonly string[]; bodyParts: readonly string[] };
  roles: readonly PipelineRole[];
  /** Starts one run; the stages hold the run's intermediate state between them. */
  start(context: PipelineContext): PipelineRun;
}

export interface PipelineDeps {
  engine: InferenceEngine;
  frames: FrameService;
  scans: ScansRepo;
}

export interface PipelineContext {
  deps: PipelineDeps;
  scan: Scan;
  /** The loaded model of each role that will run (an optional role may be absent). */
  models: ReadonlyMap<string, LoadedModel>;
  /** Why an optional role will not run (not installed, not applicable), by role. */
  skipped: ReadonlyMap<string, string>;
  /** Other 2D images of the same series, to normalise intensities over (scan ids). */
  normaliseWith: readonly string[];
  signal?: AbortSignal | undefined;
  report: (progress: number, stage: string) => void;
}

/** What a pipeline gives the service to store (the service adds ids, time and applicability). */
export interface PipelineOutput {
  findings: Exclude<Findings, { kind: 'not-applicable' }>;
  models: Analysis['models'];
  provider: string;
  providerNote: string | null;
  notes: string[];
  imageQuality: Analysis['imageQuality'];
  input: Analysis['input'];
  timings: Omit<Analysis['timings'], 'totalMs'>;
  /** 0/1 mask on the scan's own voxel grid (x fastest), if the pipeline segments. */
  mask: Uint8Array | null;
  heatmapPng: Buffer | null;
  overlayPng: Buffer | null;
}

/**
 * One run's stages, called in order by the analysis service: `load` reads the images and gives
 * the slice an image gate checks; `analyse` runs the pipeline's own stages (preprocess, infer,
 * postprocess, measure, explain). Storing is the service's.
 */
export interface PipelineRun {
  load(): Promise<GateImage>;
  analyse(): Promise<PipelineOutput>;
}
