import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../../../src-shared/model-manifest.js';
import { installTestModel } from '../../../test-support/model-fixtures.js';
import { makeTempDir, removeTempDir } from '../../../test-support/temp-dir.js';
import { createModelRegistry } from '../../inference/model-registry.js';
import { appRoot } from '../../platform/version.js';
import { brainMrTumourPipeline } from './brain-mr-tumour/index.js';
import { REGISTERED_PIPELINES } from './index.js';
import type { AnalysisPipeline } from './pipeline.js';
import { createPipelineRegistry } from './pipeline-registry.js';

const SHIPPED = join(appRoot(), 'models');

/** Copies a shipped model's manifest: choosing reads manifests only (loading verifies files). */
function installShipped(modelsDir: string, id: string): ModelManifest {
  mkdirSync(join(modelsDir, id));
  copyFileSync(join(SHIPPED, id, 'manifest.json'), join(modelsDir, id, 'manifest.json'));
  return JSON.parse(readFileSync(join(modelsDir, id, 'manifest.json'), 'utf8')) as ModelManifest;
}

/**
 * A second pipeline as a later issue will add one: one module (this object) and one manifest.
 * Its run is never started here; choosing it is what is tested.
 */
const chestXrayPipeline: AnalysisPipeline = {
  id: 'chest-xray-test',
  findingsKind: 'brain-tumour',
  scope: { modalities: ['CR', 'DX'], bodyParts: ['CHEST'] },
  roles: [{ role: 'chest-finding', task: 'classification', isRequired: true, gives: 'finding' }],
  start: () => {
    throw new Error('not run in this test');
  },
};

describe('pipeline registry', () => {
  let modelsDir: string;
  beforeEach(() => {
    modelsDir = makeTempDir();
  });
  afterEach(() => removeTempDir(modelsDir));

  it('chooses the brain pipeline and its default models from the shipped manifests', () => {
    installShipped(modelsDir, 'lgg-flair-unet');
    installShipped(modelsDir, 'brain-tumour-4class');
    const registry = createPipelineRegistry(REGISTERED_PIPELINES, createModelRegistry(modelsDir));
    const choice = registry.choose({ modality: 'MR', bodyPart: 'BRAIN' });
    expect(choice.pipeline.id).toBe('brain-mr-tumour');
    expect([...choice.models]).toEqual([
      ['tumour-segmentation', 'lgg-flair-unet'],
      ['tumour-type', 'brain-tumour-4class'],
    ]);
    // A PNG (nothing known) goes to the only pipeline that can run.
    expect(registry.choose({ modality: null, bodyPart: null }).pipeline.id).toBe('brain-mr-tumour');
  });

  it('follows the manifests, not ids in code: another default replaces the shipped one', () => {
    installShipped(modelsDir, 'lgg-flair-unet');
    installTestModel(modelsDir, 'site-flair-v2', {
      manifest: { role: 'tumour-segmentation', default: true },
    });
    // Two defaults: the shipped one loses its flag, as an admin installing a newer model would do.
    const path = join(modelsDir, 'lgg-flair-unet', 'manifest.json');
    const shipped = JSON.parse(readFileSync(path, 'utf8')) as ModelManifest;
    writeFileSync(path, JSON.stringify({ ...shipped, default: false }));
    const registry = createPipelineRegistry(REGISTERED_PIPELINES, createModelRegistry(modelsDir));
    const choice = registry.choose({ modality: 'MR', bodyPart: 'BRAIN' });
    expect(choice.models.get('tumour-segmentation')).toBe('site-flair-v2');
    expect(choice.skipped.get('tumour-type')).toMatch(/no model for it is installed/);
  });

  it('adds a second pipeline by one module and one manifest, chosen by modality and body part', () => {
    installShipped(modelsDir, 'lgg-flair-unet');
    installTestModel(modelsDir, 'chest-finder', {
      manifest: {
        task: 'classification',
        modality: 'CR',
        role: 'chest-finding',
        default: true,
        applicability: {
          modalities: ['CR', 'DX'],
          bodyParts: ['CHEST'],
          description: 'frontal chest radiographs',
        },
      },
    });
    const registry = createPipelineRegistry(
      [brainMrTumourPipeline, chestXrayPipeline],
      createModelRegistry(modelsDir),
    );
    const chest = registry.choose({ modality: 'CR', bodyPart: 'CHEST' });
    expect(chest.pipeline.id).toBe('chest-xray-test');
    expect(chest.models.get('chest-finding')).toBe('chest-finder');
    expect(registry.choose({ modality: 'MR', bodyPart: 'HEAD' }).pipeline.id).toBe(
      'brain-mr-tumour',
    );
    // Without its model the chest pipeline cannot run; a chest radiograph then goes to the brain
    // pipeline, whose applicability check refuses it (tested with the service).
    const brainOnly = createPipelineRegistry(
      [brainMrTumourPipeline, chestXrayPipeline],
      createModelRegistry(join(modelsDir, 'none')),
    );
    expect(() => brainOnly.choose({ modality: 'CR', bodyPart: 'CHEST' })).toThrow(
      /No analysis can run/,
    );
  });

  it('takes a model named by the caller and refuses one of the wrong task', () => {
    installShipped(modelsDir, 'lgg-flair-unet');
    installShipped(modelsDir, 'brain-tumour-4class');
    const registry = createPipelineRegistry(REGISTERED_PIPELINES, createModelRegistry(modelsDir));
    expect(
      registry.choose({ modality: null, bodyPart: null }, { classification: null }).models,
    ).toEqual(new Map([['tumour-segmentation', 'lgg-flair-unet']]));
    expect(() =>
      registry.choose(
        { modality: null, bodyPart: null },
        { segmentation: 'lgg-flair-unet', classification: 'lgg-flair-unet' },
      ),
    ).toThrow(/is a segmentation model; it cannot give the tumour type/);
    // A named optional model that is not installed leaves its role out with the reason.
    const missing = registry.choose(
      { modality: null, bodyPart: null },
      { segmentation: 'lgg-flair-unet', classification: 'not-installed' },
    );
    expect(missing.skipped.get('tumour-type')).toMatch(/Model "not-installed" is not installed/);
    expect(() =>
      registry.choose({ modality: null, bodyPart: null }, { segmentation: 'not-installed' }),
    ).toThrow(/Model "not-installed" is not installed/);
  });

  it('refuses a pipeline registered twice', () => {
    expect(() =>
      createPipelineRegistry(
        [brainMrTumourPipeline, brainMrTumourPipeline],
        createModelRegistry(modelsDir),
      ),
    ).toThrow(/registered twice/);
  });

  it('chooses the chest X-ray pipeline for CR/DX and the brain pipeline for MR, from the shipped manifests', () => {
    for (const id of ['lgg-flair-unet', 'brain-tumour-4class', 'chest-xray-pneumonia'])
      installShipped(modelsDir, id);
    const registry = createPipelineRegistry(REGISTERED_PIPELINES, createModelRegistry(modelsDir));
    const chosen = (modality: string | null, bodyPart: string | null) =>
      registry.choose({ modality, bodyPart }).pipeline.id;
    expect(chosen('CR', null)).toBe('chest-xray');
    expect(chosen('DX', 'CHEST')).toBe('chest-xray');
    expect(chosen(null, 'CHEST')).toBe('chest-xray');
    expect(chosen('MR', 'BRAIN')).toBe('brain-mr-tumour');
    expect(chosen('MR', null)).toBe('brain-mr-tumour');
    // Nothing known (a PNG): the first registered, until the image gate has seen the picture.
    expect(chosen(null, null)).toBe('brain-mr-tumour');
    expect([...registry.choose({ modality: 'CR', bodyPart: null }).models]).toEqual([
      ['chest-xray-pneumonia', 'chest-xray-pneumonia'],
    ]);
    // "No classifier" leaves out the brain pipeline's optional tumour type, never the chest
    // X-ray's required reading.
    expect(
      registry.choose({ modality: 'CR', bodyPart: null }, { classification: null }).models.size,
    ).toBe(1);
    expect(
      registry
        .choose({ modality: 'MR', bodyPart: null }, { classification: null })
        .models.has('tumour-type'),
    ).toBe(false);
  });
});
