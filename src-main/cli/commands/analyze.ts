import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError, isAppError } from '../../../src-shared/errors.js';
import { asScanId } from '../../../src-shared/ids.js';
import { followJobs, type JobFollower } from '../analyze/follow-jobs.js';
import { addScans, planInputs, type PlannedInput } from '../analyze/inputs.js';
import { chooseModels, type ChosenModels } from '../analyze/models.js';
import { createNameAllocator, outputBaseName } from '../../core/index.js';
import { exitCodeOf, type AnalyzeDocument, type InputResult } from '../analyze/result.js';
import { writeExportedFiles } from '../analyze/write-outputs.js';
import type { Command } from '../args.js';
import { openCliCore, type CliCore } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';
import {
  describePaths,
  formatAnalyzeCounts,
  formatInputResult,
  lesionConfidenceNote,
  providerNotes,
} from '../format/analysis-report.js';
import { formatImportCounts } from '../format/import-report.js';
import { seriesOfPictures } from '../analyze/series-groups.js';
import { reportOfScan, writeReportPdf } from '../report/report-file.js';

type AnalyzeCommand = Extract<Command, { kind: 'analyze' }>;

/** What every step of one run needs. */
interface Run {
  cli: CliCore;
  io: CliIo;
  jobs: JobFollower;
  models: ChosenModels;
  /**
   * The models named on the command line (--model, --classifier): only these are passed on, so
   * that the core chooses each scan's pipeline (brain MR, chest X-ray) and its default models.
   */
  requested: { model: string | undefined; classifier: string | null | undefined };
  /** Analyse inputs the models do not read too (--force). */
  force: boolean;
  outDir: string | null;
  nameFor: (name: string) => string;
  /** --report: the folder for report PDFs, and their names (apart from --out's). */
  reportDir: string | null;
  reportNameFor: (name: string) => string;
  /** Per 2D picture, the pictures of its series (same folder, same size): normalised together. */
  series: Map<string, string[]>;
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Created before anything is imported, so an unusable folder stops the run at once. */
async function prepareOutDir(dir: string): Promise<string> {
  try {
    await mkdir(dir, { recursive: true });
    return dir;
  } catch (error) {
    throw new AppError('INVALID_INPUT', `Cannot write the outputs to ${dir}: ${messageOf(error)}`);
  }
}

/** --scan ids, with the files they came from (their outputs are named after them). */
async function namedScans(cli: CliCore, ids: readonly string[]) {
  const scans: Array<{ scanId: string; paths: string[] }> = [];
  for (const id of ids) {
    try {
      const detail = await cli.call('scans.get', { id });
      // Label maps and meshes stored with the scan are not what the operator imported it as.
      const derived = new Set([
        ...detail.segmentations.map((s) => s.fileId),
        ...detail.attachments.map((a) => a.fileId),
      ]);
      const paths = detail.files
        .filter((file) => !derived.has(file.id))
        .flatMap((file) => (file.originalPath === null ? [] : [file.originalPath]));
      scans.push({ scanId: id, paths });
    } catch (error) {
      if (isAppError(error) && error.code === 'NOT_FOUND')
        throw new AppError('NOT_FOUND', `No scan has the id ${id} (see "neurosphere scans list").`);
      throw error;
    }
  }
  return scans;
}

/** Imports the paths (what is stored already comes back as duplicates with its scan id). */
async function importPaths(run: Run, paths: string[]) {
  const job = await run.jobs.run('Import', 'the import', () =>
    run.cli.call('import.files', { paths }),
  );
  if (job.status === 'failed')
    throw new AppError(
      job.error?.code ?? 'INTERNAL',
      `The import failed, nothing was analysed: ${job.error?.message ?? 'no reason recorded'}`,
    );
  if (job.status === 'cancelled' && !run.jobs.isInterrupted())
    throw new AppError('CANCELLED', 'The import was cancelled from another program.');
  // A cancelled import has the report of its last checkpoint: those inputs are listed as such.
  const report = await run.cli.call('import.report', { id: job.id });
  run.io.stderr.write(`Import ${job.status}: ${formatImportCounts(report)}\n`);
  return { jobId: job.id, inputs: planInputs(report) };
}

async function writeOutputs(run: Run, outDir: string, input: { paths: string[]; scanId: string }) {
  const name = run.nameFor(outputBaseName(input.paths, `scan-${input.scanId.slice(0, 8)}`));
  // The latest analysis is ours: the one this run just completed.
  const exported = await run.cli.core.exports.analysisResults(asScanId(input.scanId), {
    baseName: name,
  });
  return writeExportedFiles(outDir, exported);
}

/** Writes the outputs of an analysed scan under this input's name (not with --out: as is). */
async function withOutputs(run: Run, result: InputResult, scanId: string): Promise<InputResult> {
  if (run.outDir === null) return result;
  try {
    const { written, warnings } = await writeOutputs(run, run.outDir, {
      paths: result.paths,
      scanId,
    });
    return { ...result, outputs: written, ...(warnings.length > 0 && { warnings }) };
  } catch (error) {
    // The analysis is stored; only the export failed (disk full, no permission).
    return {
      ...result,
      status: 'failed',
      error: {
        code: isAppError(error) ? error.code : 'INTERNAL',
        message: `Analysed, but the outputs could not be written: ${messageOf(error)}`,
      },
    };
  }
}

/** Writes the report PDF of an analysed scan (with --report): its newest version, else a draft. */
async function withReport(run: Run, result: InputResult, scanId: string): Promise<InputResult> {
  if (run.reportDir === null || result.status !== 'completed') return result;
  const reportDir = run.reportDir;
  try {
    const { report, note } = await reportOfScan(run.cli, scanId);
    const name = run.reportNameFor(outputBaseName(result.paths, `scan-${scanId.slice(0, 8)}`));
    const { path } = await writeReportPdf(run.cli, report.id, () =>
      join(reportDir, `${name}_report.pdf`),
    );
    return {
      ...result,
      report: path,
      ...(note !== null && { warnings: [...(result.warnings ?? []), note] }),
    };
  } catch (error) {
    return {
      ...result,
      status: 'failed',
      error: {
        code: isAppError(error) ? error.code : 'INTERNAL',
        message: `Analysed, but the report could not be written: ${messageOf(error)}`,
      },
    };
  }
}

/** A copy of an input analysed earlier in this run: its result, with outputs of its own. */
async function reuseResult(
  run: Run,
  input: PlannedInput & { scanId: string },
  earlier: InputResult,
): Promise<InputResult> {
  const { outputs: _outputs, warnings: _warnings, ...rest } = earlier;
  const result: InputResult = {
    ...rest,
    paths: input.paths,
    ...(input.sameFileAs !== undefined && { sameFileAs: input.sameFileAs }),
  };
  return earlier.status === 'completed' ? withOutputs(run, result, input.scanId) : result;
}

async function analyseScan(
  run: Run,
  input: PlannedInput & { scanId: string },
  position: string,
): Promise<InputResult> {
  const { scanId, paths } = input;
  const job = await run.jobs.run(
    `Analysis ${position} (${describePaths(paths, scanId)})`,
    'the analysis',
    () =>
      run.cli.call('analysis.start', {
        scanId,
        ...(run.requested.model !== undefined && { segmentationModel: run.requested.model }),
        ...(run.requested.classifier !== undefined && {
          classificationModel: run.requested.classifier,
        }),
        ...(run.force && { force: true }),
        ...(run.series.has(scanId) && { normaliseWith: run.series.get(scanId) }),
      }),
  );
  if (job.status !== 'completed')
    return {
      paths,
      scanId,
      status: 'failed',
      jobId: job.id,
      error: job.error ?? { code: 'INTERNAL', message: `The analysis ended ${job.status}.` },
    };
  const analysis = await run.cli.call('analysis.get', { scanId });
  const result = await withOutputs(
    run,
    { paths, scanId, status: 'completed', jobId: job.id, analysis },
    scanId,
  );
  return withReport(run, result, scanId);
}

/** Analyses the inputs one after the other, printing each result as it comes (not with --json). */
async function analyseAll(run: Run, inputs: PlannedInput[], isJson: boolean) {
  const total = new Set(
    inputs.filter((input) => input.problem === null).map((input) => input.scanId),
  ).size;
  const results: InputResult[] = [];
  /** Each scan is analysed once; a copy of its files under another path reuses the result. */
  const byScan = new Map<string, InputResult>();
  let started = 0;
  for (const input of inputs) {
    const { paths, scanId, problem } = input;
    const earlier = scanId === null ? undefined : byScan.get(scanId);
    let result: InputResult;
    if (earlier !== undefined && scanId !== null)
      result = await reuseResult(run, { ...input, scanId }, earlier);
    else if (problem !== null || scanId === null)
      result = {
        paths,
        scanId,
        status: 'rejected',
        error: problem ?? { code: 'INVALID_INPUT', message: 'Nothing to analyse.' },
      };
    else if (run.jobs.isInterrupted())
      result = {
        paths,
        scanId,
        status: 'failed',
        error: { code: 'CANCELLED', message: 'Not analysed: the command was interrupted.' },
      };
    else {
      started++;
      result = await analyseScan(run, { ...input, scanId }, `${started} of ${total}`);
      byScan.set(scanId, result);
    }
    results.push(result);
    if (!isJson) {
      run.jobs.finishLine();
      run.io.stdout.write(`${results.length > 1 ? '\n' : ''}${formatInputResult(result)}`);
    }
  }
  return results;
}

/** The closing lines on stderr: counts, then which inputs were not analysed and why. */
function reportOutcome(io: CliIo, results: readonly InputResult[], isInterrupted: boolean): void {
  for (const note of providerNotes(results)) io.stderr.write(`Note: ${note}\n`);
  const confidenceNote = lesionConfidenceNote(results);
  if (confidenceNote !== null) io.stderr.write(`Note: ${confidenceNote}\n`);
  io.stderr.write(`${isInterrupted ? 'Interrupted: ' : ''}${formatAnalyzeCounts(results)}\n`);
  const notDone = results.filter((result) => result.status !== 'completed');
  if (notDone.length === 0) return;
  io.stderr.write('Not analysed:\n');
  for (const result of notDone) {
    const why = result.error === undefined ? '' : `${result.error.code}: ${result.error.message}`;
    io.stderr.write(
      `  ${result.status.padEnd(8)}  ${describePaths(result.paths, result.scanId)}\n` +
        `  ${''.padEnd(8)}  ${why}\n`,
    );
  }
}

/**
 * `neurosphere analyze <paths...> [--scan ID]`: imports what is not stored yet, analyses each
 * scan as a job (progress on stderr, Ctrl-C cancels), prints the results and, with --out, writes
 * each scan's mask and heatmap named after its input.
 */
export async function runAnalyze(command: AnalyzeCommand, io: CliIo): Promise<number> {
  const paths = command.paths.map((path) => resolve(io.cwd, path));
  const missing = paths.filter((path) => !existsSync(path));
  if (missing.length > 0)
    throw new AppError('NOT_FOUND', `No such file or folder: ${missing.join(', ')}`);

  // One job at a time: analyses are heavy, and the progress display follows one job.
  const cli = await openCliCore({ dataDirFlag: command.dataDir, env: io.env, jobConcurrency: 1 });
  const jobs = followJobs(cli, io);
  try {
    const models = chooseModels(await cli.call('models.list', {}), command);
    for (const warning of models.warnings) io.stderr.write(`Note: ${warning}\n`);
    const named = await namedScans(cli, command.scanIds);
    const outDir =
      command.out === undefined ? null : await prepareOutDir(resolve(io.cwd, command.out));
    const reportDir =
      command.report === undefined ? null : await prepareOutDir(resolve(io.cwd, command.report));
    const run: Run = {
      cli,
      io,
      jobs,
      models,
      requested: { model: command.model, classifier: command.classifier },
      force: command.force,
      outDir,
      nameFor: createNameAllocator(),
      reportDir,
      reportNameFor: createNameAllocator(),
      series: new Map<string, string[]>(),
    };

    // Started after followJobs subscribed, so jobs resumed after a crash are shown.
    cli.core.jobs.start();
    const imported = paths.length === 0 ? null : await importPaths(run, paths);
    const inputs = addScans(imported?.inputs ?? [], named);
    run.series = await seriesOfPictures(cli, inputs);
    const results = await analyseAll(run, inputs, command.json);

    if (command.json) {
      const document: AnalyzeDocument = {
        importJobId: imported?.jobId ?? null,
        inputs: results,
        models: { segmentation: models.segmentation, classification: models.classification },
        provider:
          results.find((result) => result.analysis !== undefined)?.analysis?.provider ?? null,
      };
      io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    }
    reportOutcome(io, results, jobs.isInterrupted());
    return exitCodeOf(results, jobs.isInterrupted());
  } finally {
    jobs.dispose();
    await cli.close();
  }
}
