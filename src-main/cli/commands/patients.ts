import type { Command } from '../args.js';
import { openCliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { formatTable, orDash, truncate } from '../format/table.js';

type PatientsList = Extract<Command, { kind: 'patients list' }>;

export async function runPatientsList(command: PatientsList, io: CliIo): Promise<number> {
  const cli = openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  try {
    const page = await cli.call('patients.list', {
      ...(command.search !== undefined && { search: command.search }),
      ...(command.page !== undefined && { page: command.page }),
      ...(command.limit !== undefined && { limit: command.limit }),
    });
    if (command.json) {
      io.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
      return 0;
    }
    if (page.total === 0) {
      io.stdout.write('No patients match.\n');
      return 0;
    }
    io.stdout.write(
      formatTable(
        ['ID', 'NAME', 'MRN', 'BIRTH DATE', 'SEX', 'STUDIES', 'SCANS'],
        page.items.map((patient) => [
          patient.id,
          truncate(patient.name, 40),
          orDash(patient.mrn),
          orDash(patient.birthDate),
          orDash(patient.sex),
          String(patient.studyCount),
          String(patient.scanCount),
        ]),
      ),
    );
    io.stdout.write(
      `Page ${page.page} of ${page.totalPages} (${page.total} patient${page.total === 1 ? '' : 's'}).\n`,
    );
    return 0;
  } finally {
    await cli.close();
  }
}
