import { brainMrTumourPipeline } from './brain-mr-tumour/index.js';
import { chestXrayPipeline } from './chest-xray/index.js';
import type { AnalysisPipeline } from './pipeline.js';

/**
 * The analysis pipelines this build knows, in order of preference where a scan fits several
 * equally (a picture with nothing known goes to the first until the image gate has seen it).
 * A new pipeline (dental CBCT) is one module added here plus its model manifests.
 */
export const REGISTERED_PIPELINES: readonly AnalysisPipeline[] = [
  brainMrTumourPipeline,
  chestXrayPipeline,
];
