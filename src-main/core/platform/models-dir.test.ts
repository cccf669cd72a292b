import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultModelsDir, unpackedPath } from './models-dir.js';

describe('the models folder of an installed app', () => {
  const resources = join('/opt', 'Neurosphere', 'resources');

  it('maps paths inside app.asar to app.asar.unpacked', () => {
    expect(unpackedPath(join(resources, 'app.asar', 'models', 'a', 'model.onnx'))).toBe(
      join(resources, 'app.asar.unpacked', 'models', 'a', 'model.onnx'),
    );
    expect(unpackedPath(join(resources, 'app.asar'))).toBe(join(resources, 'app.asar.unpacked'));
    expect(defaultModelsDir(join(resources, 'app.asar'))).toBe(
      join(resources, 'app.asar.unpacked', 'models'),
    );
  });

  it('leaves a development checkout and look-alike names alone', () => {
    expect(defaultModelsDir('/home/dev/neurosphere')).toBe(join('/home/dev/neurosphere', 'models'));
    expect(unpackedPath(join('/data', 'my-app.asar.d', 'models'))).toBe(
      join('/data', 'my-app.asar.d', 'models'),
    );
  });
});
