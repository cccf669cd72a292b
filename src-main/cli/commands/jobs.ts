import type { Command } from '../args.js';
import { openCliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { writePage } from '../format/page-output.js';
import { orDash, truncate } from '../format/table.js';

type JobsList = Extract<Command, { kind: 'jobs list' }>;

export async function runJobsList(command: JobsList, io: CliIo): Promise<number> {
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  try {
    const page = await cli.call('jobs.list', {
      ...(command.status !== undefined && { status: command.status }),
      ...(command.page !== undefined && { page: command.page }),
      ...(command.limit !== undefined && { limit: command.limit }),
    });
    writePage(io, page, {
      json: command.json,
      empty: 'No jobs.',
      noun: 'job',
      headers: ['ID', 'TYPE', 'STATUS', 'PROGRESS', 'CREATED', 'STAGE OR ERROR'],
      row: (job) => [
        job.id,
        job.type,
        job.status,
        `${Math.floor(job.progress * 100)}%`,
        job.createdAt,
        truncate(orDash(job.error?.message ?? job.stage), 60),
      ],
    });
    return 0;
  } finally {
    await cli.close();
  }
}
