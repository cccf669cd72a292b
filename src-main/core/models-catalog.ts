import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelManifestSchema, type ModelManifest } from '../../src-shared/model-manifest.js';

export interface CatalogEntry {
  dir: string;
  manifest: ModelManifest;
}

/** The models whose manifest validates, found under models/<id>/manifest.json. */
export function listModels(modelsDir: string): { models: CatalogEntry[]; problems: string[] } {
  const models: CatalogEntry[] = [];
  const problems: string[] = [];
  if (!existsSync(modelsDir)) return { models, problems };
  for (const entry of readdirSync(modelsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const manifestPath = join(modelsDir, entry.name, 'manifest.json');
    if (!existsSync(manifestPath)) continue;
    try {
      const parsed = modelManifestSchema.safeParse(JSON.parse(readFileSync(manifestPath, 'utf8')));
      if (parsed.success) models.push({ dir: join(modelsDir, entry.name), manifest: parsed.data });
      else problems.push(`${entry.name}: manifest does not validate`);
    } catch {
      problems.push(`${entry.name}: manifest is not valid JSON`);
    }
  }
  return { models, problems };
}
