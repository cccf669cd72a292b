import type { Command } from '../args.js';
import { openCliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { formatTable, orDash, truncate } from '../format/table.js';

type JobsList = Extract<Command, { kind: 'jobs list' }>;

export async function runJobsList(command: JobsList, io: CliIo): Promise<number> {
  const cli = openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  try {
    const page = await cli.call('jobs.list', {
      ...(command.status !== undefined && { status: command.status }),
      ...(command.page !== undefined && { page: command.page }),
      ...(command.limit !== undefined && { limit: command.limit }),
    });
    if (command.json) {
      io.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
      return 0;
    }
    if (page.total === 0) {
      io.stdout.write('No jobs.\n');
      return 0;
    }
    io.stdout.write(
      formatTable(
        ['ID', 'TYPE', 'STATUS', 'PROGRESS', 'CREATED', 'STAGE OR ERROR'],
        page.items.map((job) => [
          job.id,
          job.type,
          job.status,
          `${Math.floor(job.progress * 100)}%`,
          job.createdAt,
          truncate(orDash(job.error?.message ?? job.stage), 60),
        ]),
      ),
    );
    io.stdout.write(
      `Page ${page.page} of ${page.totalPages} (${page.total} job${page.total === 1 ? '' : 's'}).\n`,
    );
    return 0;
  } finally {
    await cli.close();
  }
}
