import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { AppError } from '../../../src-shared/errors.js';
import {
  describeAuditVerification,
  dataDirOrigin,
  resolveDataDir,
  providerPreferenceFromEnv,
} from '../../core/index.js';
import { isLoopbackHost } from '../../serve/host-guard.js';
import { DEFAULT_HOST, startServer } from '../../serve/server.js';
import type { Command } from '../args.js';
import { modelsDirFromEnv } from '../cli-core.js';
import type { CliIo } from '../cli-io.js';

type Serve = Extract<Command, { kind: 'serve' }>;

function readTls(files: { certFile: string; keyFile: string }): { cert: Buffer; key: Buffer } {
  const read = (file: string, what: string): Buffer => {
    try {
      return readFileSync(file);
    } catch {
      throw new AppError(
        'NOT_FOUND',
        `Cannot read the TLS ${what} ${file}: give a readable PEM file.`,
      );
    }
  };
  const pair = { cert: read(files.certFile, 'certificate'), key: read(files.keyFile, 'key') };
  try {
    createSecureContext(pair);
  } catch (error) {
    throw new AppError(
      'INVALID_INPUT',
      `The TLS certificate and key cannot be used together (${(error as Error).message}): give a matching PEM certificate and private key.`,
    );
  }
  return pair;
}

/** `neurosphere serve`: runs until SIGINT or SIGTERM, then shuts down cleanly and exits 0. */
export async function runServe(command: Serve, io: CliIo): Promise<number> {
  const dataDir = resolveDataDir(command.dataDir, io.env);
  const host = command.host ?? DEFAULT_HOST;
  const tls = command.tls === undefined ? undefined : readTls(command.tls);
  if (!isLoopbackHost(host) && tls === undefined) {
    io.stderr.write(
      `Warning: serving on ${host} makes this workstation and its patient data reachable from the network. ` +
        'Use it only on a trusted network, behind TLS, with strong passwords.\n',
    );
  }
  // Handlers first: a signal that arrives while starting, or right after the "serving" line,
  // must still shut down cleanly instead of killing the process mid-write.
  let isStopping = false;
  let requestStop = (): void => undefined;
  const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
  const onSignal = (): void => {
    // A second signal while shutting down ends the process without waiting.
    if (isStopping) {
      io.stderr.write('Stopping at once.\n');
      io.exit(1);
      return;
    }
    isStopping = true;
    io.stderr.write('Shutting down…\n');
    requestStop();
  };
  const removeInt = io.onSignal('SIGINT', onSignal);
  const removeTerm = io.onSignal('SIGTERM', onSignal);
  try {
    const modelsDir = modelsDirFromEnv(io.env);
    const server = await startServer({
      dataDir,
      host,
      core: {
        ...(modelsDir !== undefined && { modelsDir }),
        // The seeds' pipeline: an upload starts the analysis.
        analyseImports: command.autoAnalyse,
        providerPreference: providerPreferenceFromEnv(io.env),
        dataDirOrigin: dataDirOrigin(command.dataDir, io.env),
      },
      ...(command.port !== undefined && { port: command.port }),
      ...(tls !== undefined && { tls }),
      rest: {
        corsOrigins: command.corsOrigins,
        ...(command.rateLimit !== undefined && { rateLimitPerMinute: command.rateLimit }),
        ...(command.maxUploadMb !== undefined && {
          maxUploadBytes: command.maxUploadMb * 1024 * 1024,
        }),
      },
      env: io.env,
    });
    // Verified at every start: a broken trail is said loudly, but serving goes on (the log is
    // evidence to keep, not a reason to stop the clinic's work).
    if (!server.auditCheck.ok)
      io.stderr.write(`Warning: ${describeAuditVerification(server.auditCheck)}`);
    io.stdout.write(
      `Neurosphere ${server.core.version} serving ${server.url} (data: ${dataDir})\n`,
    );
    await stopRequested;
    await server.close();
  } finally {
    removeInt();
    removeTerm();
  }
  return 0;
}
