import { isAppError } from '../../src-shared/errors.js';
import { appVersion } from '../core/index.js';
import { parseCommandLine, UsageError, type Command } from './args.js';
import { processIo, type CliIo } from './cli-io.js';
import { runAnalyze } from './commands/analyze.js';
import { runBackup, runRestore } from './commands/backup.js';
import { runDicom } from './commands/dicom.js';
import { runDicomWeb } from './commands/dicomweb.js';
import { runAuditVerify } from './commands/audit.js';
import {
  runEncryptionEnable,
  runEncryptionRecover,
  runEncryptionStatus,
} from './commands/encryption.js';
import { runExportDicom } from './commands/export-dicom.js';
import { runDeidentify } from './commands/deidentify.js';
import { runImport } from './commands/import.js';
import { runImportDental } from './commands/import-dental.js';
import { runDentalCaption } from './commands/dental-caption.js';
import { runJobsList } from './commands/jobs.js';
import { runPatientsList } from './commands/patients.js';
import { runReport } from './commands/report.js';
import { runScansList, runScansShow } from './commands/scans.js';
import { runServe } from './commands/serve.js';
import { runSync } from './commands/sync.js';
import { runUpdatePack, runUpdateVerifyOrApply } from './commands/update.js';
import { runUsersAdd, runUsersList, runUsersSet } from './commands/users.js';
import { USAGE } from './usage.js';
import { runVisualize } from './commands/visualize.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

function dispatch(command: Command, io: CliIo): Promise<number> {
  switch (command.kind) {
    case 'help':
      io.stdout.write(USAGE);
      return Promise.resolve(EXIT_OK);
    case 'version':
      io.stdout.write(`neurosphere ${appVersion()}\n`);
      return Promise.resolve(EXIT_OK);
    case 'import':
      return runImport(command, io);
    case 'import dental':
      return runImportDental(command, io);
    case 'dental caption':
      return runDentalCaption(command, io);
    case 'analyze':
      return runAnalyze(command, io);
    case 'report':
      return runReport(command, io);
    case 'scans list':
      return runScansList(command, io);
    case 'scans show':
      return runScansShow(command, io);
    case 'export-dicom':
      return runExportDicom(command, io);
    case 'deidentify':
      return runDeidentify(command, io);
    case 'visualize':
      return runVisualize(command, io);
    case 'patients list':
      return runPatientsList(command, io);
    case 'users add':
      return runUsersAdd(command, io);
    case 'users list':
      return runUsersList(command, io);
    case 'users set':
      return runUsersSet(command, io);
    case 'jobs list':
      return runJobsList(command, io);
    case 'audit verify':
      return runAuditVerify(command, io);
    case 'encryption status':
      return runEncryptionStatus(command, io);
    case 'encryption recover':
      return runEncryptionRecover(command, io);
    case 'encryption enable':
      return runEncryptionEnable(command, io);
    case 'serve':
      return runServe(command, io);
    case 'backup':
      return runBackup(command, io);
    case 'restore':
      return runRestore(command, io);
    case 'update pack':
      return runUpdatePack(command, io);
    case 'update verify':
    case 'update apply':
      return runUpdateVerifyOrApply(command, io);
    case 'dicom':
      return runDicom(command, io);
    case 'dicomweb':
      return runDicomWeb(command, io);
    case 'sync':
      return runSync(command, io);
  }
}

/** The synopsis of one command (its line in USAGE), or the general one. */
function synopsisOf(command: string | undefined): string {
  const line =
    command === undefined
      ? undefined
      : USAGE.split('\n').find((l) => l.startsWith(`  ${command} `) || l === `  ${command}`);
  return line === undefined
    ? 'Usage: neurosphere <command> [options]'
    : `Usage: neurosphere ${line.trim()}`;
}

function reportFailure(error: unknown, io: CliIo): number {
  const isDebug = io.env['NEUROSPHERE_DEBUG'] === '1';
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`neurosphere: ${message}\n`);
  if (isDebug && error instanceof Error && error.stack !== undefined) {
    io.stderr.write(`${error.stack}\n`);
  } else if (!isAppError(error)) {
    // Not an expected failure: say how to get the details without dumping them on everyone.
    io.stderr.write('Run again with NEUROSPHERE_DEBUG=1 for details.\n');
  }
  return EXIT_FAILURE;
}

/** Runs one command line; resolves to the process exit status. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let command: Command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) return reportFailure(error, io);
    io.stderr.write(
      `neurosphere: ${error.message}\n${synopsisOf(error.command)}\n` +
        'Run "neurosphere --help" for all commands and options.\n',
    );
    return EXIT_USAGE;
  }
  try {
    return await dispatch(command, io);
  } catch (error) {
    return reportFailure(error, io);
  }
}
