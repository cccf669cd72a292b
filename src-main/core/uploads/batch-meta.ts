import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const META_FILE = 'batch.json';

/** What a batch folder records about itself, so a later run knows whether it may go. */
const batchMetaSchema = z.object({
  owner: z.string(),
  createdAt: z.string(),
  jobId: z.string().nullable(),
});
export type BatchMeta = z.infer<typeof batchMetaSchema>;

export async function writeBatchMeta(dir: string, meta: BatchMeta): Promise<void> {
  const temp = join(dir, `${META_FILE}.tmp`);
  await writeFile(temp, JSON.stringify(meta));
  await rename(temp, join(dir, META_FILE));
}

async function readBatchMeta(dir: string): Promise<BatchMeta | null> {
  try {
    const parsed = batchMetaSchema.safeParse(
      JSON.parse(await readFile(join(dir, META_FILE), 'utf8')),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Every batch folder under the uploads root, with its record (null when missing or damaged). */
export async function listStagedBatches(
  rootDir: string,
): Promise<Array<{ id: string; dir: string; meta: BatchMeta | null }>> {
  let entries: string[];
  try {
    entries = (await readdir(rootDir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  return Promise.all(
    entries.map(async (id) => {
      const dir = join(rootDir, id);
      return { id, dir, meta: await readBatchMeta(dir) };
    }),
  );
}
