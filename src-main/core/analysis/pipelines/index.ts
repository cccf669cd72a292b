import { brainMrTumourPipeline } from './brain-mr-tumour/index.js';
import type { AnalysisPipeline } from './pipeline.js';

/**
 * The analysis pipelines this build knows, in order of preference where a scan fits several.
 * A new pipeline (chest X-ray, dental CBCT) is one module added here plus its model manifests.
 */
export const REGISTERED_PIPELINES: readonly AnalysisPipeline[] = [brainMrTumourPipeline];
