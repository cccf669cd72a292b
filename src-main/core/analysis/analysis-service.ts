import { gunzipSync, gzipSync } from 'node:zlib';
import type { Analysis } from '../../../src-shared/contract/analysis.js';
import type { ModelManifest } from '../../../src-shared/model-manifest.js';
import { AppError } from '../../../src-shared/errors.js';
import type { ClinicalWriter } from '../clinical-write/clinical-writer.js';
import type { EventBus } from '../events.js';
import type { FrameService } from '../imaging/frame-service.js';
import type { InferenceEngine } from '../inference/inference-engine.js';
import type { ModelRegistry } from '../inference/model-registry.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import type { AnalysesRepo } from './analyses-repo.js';
import type { DerivedRepo } from '../scans/derived-repo.js';
import type { ScanStatusOwner } from '../scans/scan-status.js';
import type { ScansRepo } from '../scans/scans-repo.js';
import type { BlobStore } from '../store/blob-store.js';
import { NO_IMAGE_GATE, withGateVerdict, type ImageGate } from './applicability/image-gate.js';
import { readScanHeader } from './applicability/read-scan-header.js';
import { scanAttributes } from './applicability/scan-attributes.js';
import {
  attributeVerdict,
  gateVerdict,
  skippedRoleNotes,
  type ApplicabilityVerdict,
} from './applicability/pipeline-applicability.js';
import {
  applicabilityOf,
  forcedRunWarnings,
  notApplicableAnalysis,
  type ResultIdentity,
} from './analysis-result.js';
import { REGISTERED_PIPELINES } from './pipelines/index.js';
import { loadModels } from './pipelines/load-models.js';
import type { AnalysisPipeline, PipelineOutput } from './pipelines/pipeline.js';
import {
  createPipelineRegistry,
  scopeScore,
  type PipelineChoice,
} from './pipelines/pipeline-registry.js';

export interface AnalyseOptions {
  segmentationModel?: string | undefined;
  /** null: do not classify. */
  classificationModel?: string | null | undefined;
  /** Run even where the input is not what the models read; the result then carries a warning. */
  force?: boolean | undefined;
  jobId?: string | undefined;
  /** Who asked for the analysis (the user who started its job): the stored result is audited under this name. */
  actor?: string | null | undefined;
  /**
   * Other 2D images of the same series (e.g. a folder of PNG slices exported from one scan):
   * the intensity window is computed over all of them, as the model was trained per volume.
   */
  normaliseWith?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: (progress: number, stage: string) => void;
}

export interface AnalysisArtifacts {
  analysis: Analysis;
  /** 0/1 mask on the scan's own voxel grid (x fastest); null when no model segmented. */
  mask: Uint8Array | null;
  /** PNGs of the classified slice, when a classifier ran. */
  heatmapPng: Buffer | null;
  overlayPng: Buffer | null;
}

export interface AnalysisDeps {
  /** The one write point of clinical data: the result row, its audit and outbox entries. */
  writer: ClinicalWriter;
  /** The one owner of the scan's status. */
  scanStatus: ScanStatusOwner;
  scans: ScansRepo;
  analyses: AnalysesRepo;
  derived: DerivedRepo;
  frames: FrameService;
  engine: InferenceEngine;
  registry: ModelRegistry;
  blobs: BlobStore;
  events: EventBus;
  clock: Clock;
  ids: IdGenerator;
  /** The pipelines to choose from (default: every registered one). */
  pipelines?: readonly AnalysisPipeline[];
  /** An image-based applicability check (default: none; only attributes are checked). */
  imageGate?: ImageGate;
}

const REVIEW_NOTE =
  'Automatic result for research and decision support: a radiologist must review it.';

/**
 * Analyses scans with the pipeline made for them: chooses the pipeline and its models from the
 * installed manifests, checks that the scan is what the models read (refusing it, in clinical
 * words, when it is not, unless forced), runs the pipeline's stages and stores the result.
 */
export function createAnalysisService(deps: AnalysisDeps) {
  const pipelines = createPipelineRegistry(deps.pipelines ?? REGISTERED_PIPELINES, deps.registry);
  const imageGate = deps.imageGate ?? NO_IMAGE_GATE;

  async function run(scanId: string, options: AnalyseOptions = {}): Promise<AnalysisArtifacts> {
    const report = options.onProgress ?? (() => undefined);
    const totalStart = performance.now();
    const scan = deps.scans.get(scanId);
    if (scan === undefined)
      throw new AppError('NOT_FOUND', 'No such scan: it may have been deleted.');
    const isForced = options.force === true;

    report(0, 'Checking the input');
    const header = await readScanHeader(scan, (bytes) => {
      const file = deps.derived.primaryFileOf(scan.id);
      return file === undefined ? null : deps.blobs.readRange(file.sha256, 0, bytes);
    });
    const attributes = scanAttributes(scan, header);
    const requested = {
      segmentation: options.segmentationModel,
      classification: options.classificationModel,
    };
    const isNamed = Object.values(requested).some((id) => typeof id === 'string');
    let choice = pipelines.choose(
      { modality: attributes.modality, bodyPart: attributes.bodyPart },
      requested,
    );

    const resultId = deps.ids();
    const createdAt = deps.clock.iso();
    const identityOf = (pipeline: AnalysisPipeline): ResultIdentity => ({
      id: resultId,
      scanId,
      jobId: options.jobId ?? null,
      createdAt,
      pipeline: pipeline.id,
    });
    const refuse = (
      chosen: PipelineChoice,
      manifests: ReadonlyMap<string, ModelManifest>,
      verdict: ApplicabilityVerdict,
    ): AnalysisArtifacts => ({
      analysis: notApplicableAnalysis({
        identity: identityOf(chosen.pipeline),
        scan,
        pipeline: chosen.pipeline,
        manifests,
        verdict,
        totalMs: performance.now() - totalStart,
      }),
      mask: null,
      heatmapPng: null,
      overlayPng: null,
    });

    /** The chosen pipeline's models checked against the header, loaded, and its run started. */
    const prepare = async (chosen: PipelineChoice) => {
      const manifests = new Map(
        [...chosen.models].map(([role, id]) => [role, deps.registry.manifest(id)] as const),
      );
      const byAttributes = attributeVerdict(chosen.pipeline, manifests, attributes);
      if (byAttributes.refuses && !isForced) return { manifests, byAttributes, run: null };
      report(0.01, 'Loading models');
      // Forced, every chosen model runs; otherwise an optional one that cannot read the scan is left out.
      const loaded = await loadModels(
        deps.engine,
        chosen,
        isForced ? new Map() : skippedRoleNotes(byAttributes),
      );
      const run = chosen.pipeline.start({
        deps: { engine: deps.engine, frames: deps.frames, scans: deps.scans },
        scan,
        models: loaded.models,
        skipped: loaded.skipped,
        normaliseWith: options.normaliseWith ?? [],
        signal: options.signal,
        report,
      });
      return { manifests, byAttributes, run };
    };

    let prepared = await prepare(choice);
    if (prepared.run === null) return refuse(choice, prepared.manifests, prepared.byAttributes);
    const seen = await imageGate.read(await prepared.run.load(), options.signal);
    // A picture without a header (PNG, JPEG) goes first to the pipeline registered first; once
    // the gate has confidently seen what it is (a chest radiograph), it goes to the pipeline
    // made for that, unless a model was named. A DICOM attribute is never overridden.
    if (seen?.isConfident === true && !isNamed) {
      const seenAs = withGateVerdict(attributes, seen);
      const rechosen = pipelines.choose(
        { modality: seenAs.modality, bodyPart: seenAs.bodyPart },
        requested,
      );
      const fitsBetter =
        scopeScore(rechosen.pipeline, seenAs) > scopeScore(choice.pipeline, seenAs);
      if (rechosen.pipeline.id !== choice.pipeline.id && fitsBetter) {
        choice = rechosen;
        prepared = await prepare(choice);
        if (prepared.run === null) return refuse(choice, prepared.manifests, prepared.byAttributes);
        // The gate's answer stands (same image); the new run reads the image its own way.
        await prepared.run.load();
      }
    }
    const { manifests, byAttributes } = prepared;
    const pipelineRun = prepared.run;
    const verdict = gateVerdict(byAttributes, choice.pipeline, manifests, attributes, seen);
    if (verdict.refuses && !isForced) return refuse(choice, manifests, verdict);
    const identity = identityOf(choice.pipeline);

    const output: PipelineOutput = await pipelineRun.analyse();
    const applicability = applicabilityOf(verdict, isForced);
    const warnings = [...(isForced ? forcedRunWarnings(verdict) : []), ...verdict.warnings];
    const analysis: Analysis = {
      ...identity,
      models: output.models,
      provider: output.provider,
      providerNote: output.providerNote,
      applicability,
      warnings,
      notes: [...output.notes, REVIEW_NOTE].join(' '),
      imageQuality: output.imageQuality,
      input: output.input,
      findings: output.findings,
      timings: { ...output.timings, totalMs: performance.now() - totalStart },
      outputs: {
        hasMask: output.mask !== null,
        hasHeatmap: output.heatmapPng !== null,
        hasOverlay: output.overlayPng !== null,
      },
    };
    return {
      analysis,
      mask: output.mask,
      heatmapPng: output.heatmapPng,
      overlayPng: output.overlayPng,
    };
  }

  /**
   * store: the mask and pictures as blobs, then the result row and the scan's status in one
   * clinical write (audited under the user who started the analysis, with its outbox entry).
   */
  async function store(
    scanId: string,
    artifacts: AnalysisArtifacts,
    actor: string | null,
  ): Promise<void> {
    const put = async (bytes: Buffer | null) =>
      bytes === null ? null : (await deps.blobs.putBuffer(bytes)).sha256;
    const mask = await put(artifacts.mask === null ? null : gzipSync(artifacts.mask));
    const heatmap = await put(artifacts.heatmapPng);
    const overlay = await put(artifacts.overlayPng);
    deps.writer.write(actor, 'analysis.store', () => {
      const { analysis } = artifacts;
      deps.analyses.insert(analysis, {
        maskSha256: mask,
        heatmapSha256: heatmap,
        overlaySha256: overlay,
      });
      deps.scanStatus.set(scanId, 'completed', actor);
      return {
        result: undefined,
        target: scanId,
        details: { analysisId: analysis.id, jobId: analysis.jobId },
        changes: [{ entity: 'analysis', id: analysis.id, op: 'create', payload: analysis }],
      };
    });
  }

  return {
    pipelines,

    /** Runs the analysis and stores it: result row, mask and heatmap blobs, scan status. */
    async analyseAndStore(
      scanId: string,
      options: AnalyseOptions = {},
    ): Promise<AnalysisArtifacts> {
      const artifacts = await run(scanId, options);
      if (options.signal?.aborted === true)
        throw new AppError('CANCELLED', 'The analysis was cancelled.');
      options.onProgress?.(0.96, 'Saving results');
      await store(scanId, artifacts, options.actor ?? null);
      return artifacts;
    },

    /**
     * The stored outputs of the latest analysis (or of `analysisId`, one of the scan's: a
     * report's own): mask on the scan's voxel grid, heatmap and overlay PNGs.
     */
    async outputs(
      scanId: string,
      analysisId?: string,
    ): Promise<{
      analysis: Analysis;
      mask: Uint8Array | null;
      heatmapPng: Buffer | null;
      overlayPng: Buffer | null;
    }> {
      const found =
        analysisId === undefined
          ? deps.analyses.latestOfScan(scanId)
          : deps.analyses.get(analysisId);
      if (found === undefined || found.analysis.scanId !== scanId)
        throw new AppError(
          'NOT_FOUND',
          analysisId === undefined
            ? 'This scan has not been analysed yet.'
            : 'That analysis of this scan no longer exists.',
        );
      const read = async (sha256: string | null): Promise<Buffer | null> =>
        sha256 === null || !deps.blobs.has(sha256) ? null : deps.blobs.read(sha256);
      const mask = await read(found.blobs.maskSha256);
      return {
        analysis: found.analysis,
        mask: mask === null ? null : new Uint8Array(gunzipSync(mask)),
        heatmapPng: await read(found.blobs.heatmapSha256),
        overlayPng: await read(found.blobs.overlaySha256),
      };
    },

    latest(scanId: string): Analysis {
      const found = deps.analyses.latestOfScan(scanId);
      if (found === undefined)
        throw new AppError('NOT_FOUND', 'This scan has not been analysed yet.');
      return found.analysis;
    },
  };
}
export type AnalysisService = ReturnType<typeof createAnalysisService>;
