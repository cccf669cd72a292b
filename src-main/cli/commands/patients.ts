import type { Command } from '../args.js';
import { openCliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import { writePage } from '../format/page-output.js';
import { orDash, truncate } from '../format/table.js';

type PatientsList = Extract<Command, { kind: 'patients list' }>;

export async function runPatientsList(command: PatientsList, io: CliIo): Promise<number> {
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env });
  try {
    const page = await cli.call('patients.list', {
      ...(command.search !== undefined && { search: command.search }),
      ...(command.page !== undefined && { page: command.page }),
      ...(command.limit !== undefined && { limit: command.limit }),
    });
    writePage(io, page, {
      json: command.json,
      empty: 'No patients match.',
      noun: 'patient',
      headers: ['ID', 'NAME', 'MRN', 'BIRTH DATE', 'SEX', 'STUDIES', 'SCANS'],
      row: (patient) => [
        patient.id,
        truncate(patient.name, 40),
        orDash(patient.mrn),
        orDash(patient.birthDate),
        orDash(patient.sex),
        String(patient.studyCount),
        String(patient.scanCount),
      ],
    });
    return 0;
  } finally {
    await cli.close();
  }
}
