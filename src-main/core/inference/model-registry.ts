import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import { modelManifestSchema, type ModelManifest } from '../../../src-shared/model-manifest.js';

export interface VerifiedModel {
  manifest: ModelManifest;
  modelPath: string;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function unavailable(id: string, why: string, whatToDo: string): AppError {
  return new AppError('MODEL_UNAVAILABLE', `Model "${id}" cannot be used: ${why}. ${whatToDo}`, {
    modelId: id,
  });
}

/**
 * The models installed under models/<id>/: a manifest that validates and a model file whose
 * sha256 matches it. A model that fails either is refused with MODEL_UNAVAILABLE, never loaded.
 */
export function createModelRegistry(modelsDir: string) {
  // Hashing a model takes a moment; remember verified files by size and mtime.
  const verified = new Map<string, { size: number; mtimeMs: number }>();

  function readManifest(id: string): ModelManifest {
    if (!/^[a-z0-9-]+$/.test(id)) throw new AppError('INVALID_INPUT', `"${id}" is not a model id.`);
    const manifestPath = join(modelsDir, id, 'manifest.json');
    if (!existsSync(manifestPath)) {
      throw new AppError(
        'MODEL_UNAVAILABLE',
        `Model "${id}" is not installed (no ${manifestPath}). Install the model or pick another one.`,
        { modelId: id },
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(manifestPath, 'utf8'));
    } catch {
      throw unavailable(id, 'its manifest.json is not valid JSON', 'Reinstall the model.');
    }
    const parsed = modelManifestSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw unavailable(
        id,
        `its manifest is invalid (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})`,
        'Reinstall the model.',
      );
    }
    return parsed.data;
  }

  return {
    modelsDir,

    /** Ids of installed models, whether or not they verify. */
    ids(): string[] {
      if (!existsSync(modelsDir)) return [];
      return readdirSync(modelsDir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(join(modelsDir, e.name, 'manifest.json')))
        .map((e) => e.name)
        .sort();
    },

    manifest: readManifest,

    /** The manifest and model path, after checking the file's sha256 against the manifest. */
    async verify(id: string): Promise<VerifiedModel> {
      const manifest = readManifest(id);
      const modelPath = join(modelsDir, id, manifest.file);
      if (!existsSync(modelPath))
        throw unavailable(id, `its file ${manifest.file} is missing`, 'Reinstall the model.');
      const info = statSync(modelPath);
      const known = verified.get(modelPath);
      if (known === undefined || known.size !== info.size || known.mtimeMs !== info.mtimeMs) {
        const actual = await sha256Of(modelPath);
        if (actual !== manifest.sha256) {
          verified.delete(modelPath);
          throw unavailable(
            id,
            `its file does not match the manifest (sha256 ${actual.slice(0, 12)}… instead of ${manifest.sha256.slice(0, 12)}…): it is damaged or was replaced`,
            'Reinstall the model from a signed build.',
          );
        }
        verified.set(modelPath, { size: info.size, mtimeMs: info.mtimeMs });
      }
      return { manifest, modelPath };
    },
  };
}
export type ModelRegistry = ReturnType<typeof createModelRegistry>;
