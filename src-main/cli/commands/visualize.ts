import { stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import { followJobs } from '../analyze/follow-jobs.js';
import type { Command } from '../args.js';
import { openCliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { EXIT_INTERRUPTED } from './import.js';

type Visualize = Extract<Command, { kind: 'visualize' }>;

/** Where to write: the path given, or the scene's own name inside a folder given. */
async function targetPath(out: string, fileName: string): Promise<string> {
  try {
    if ((await stat(out)).isDirectory()) return join(out, fileName);
  } catch {
    // Not there yet: a file to create.
  }
  return out;
}

/**
 * `visualize <scan-id> --out FILE`: builds the scan's 3D scene as one self-contained HTML file
 * (the visualization job, with progress on stderr), stores it like the app does and writes a
 * copy to FILE. Ctrl-C cancels the job.
 */
export async function runVisualize(command: Visualize, io: CliIo): Promise<number> {
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  const jobs = followJobs(cli, io);
  try {
    cli.core.jobs.start();
    let visualizationId = '';
    const job = await jobs.run('3D scene', 'the 3D scene', async () => {
      const created = await cli.call('visualizations.create', {
        scanId: command.scanId,
        quality: command.quality,
        colorScheme: command.colorScheme,
        highlightTumor: command.highlightTumor,
      });
      visualizationId = created.id;
      return cli.call('jobs.get', { id: created.jobId as string });
    });
    if (job.status === 'cancelled') {
      io.stderr.write('Stopped: no scene was written.\n');
      return EXIT_INTERRUPTED;
    }
    if (job.status !== 'completed')
      throw new AppError(
        job.error?.code ?? 'INTERNAL',
        `The 3D scene could not be built: ${job.error?.message ?? job.status}`,
      );
    const { description, bytes } = await cli.stream('visualizations.html', {
      id: visualizationId,
    });
    const path = await targetPath(resolve(io.cwd, command.out), description.fileName);
    await writeFile(path, bytes);
    const scene = await cli.call('visualizations.get', { id: visualizationId });
    if (command.json) {
      io.stdout.write(`${JSON.stringify({ ...scene, path }, null, 2)}\n`);
      return 0;
    }
    const lesions = scene.lesionCount ?? 0;
    io.stdout.write(
      `Wrote ${path} (${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB, ${lesions} lesion${lesions === 1 ? '' : 's'}, ${scene.quality} quality).\n` +
        'Open it in any current browser; it needs no network.\n',
    );
    return 0;
  } finally {
    jobs.dispose();
    await cli.close();
  }
}
