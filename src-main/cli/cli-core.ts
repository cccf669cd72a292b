import { resolve } from 'node:path';
import {
  providerPreferenceFromEnv,
  createCore,
  type Core,
  type CallContext,
  resolveDataDir,
  resolveAuditKey,
  resolveDataDirEncryption,
} from '../core/index.js';
import type { MethodInput, MethodName, MethodOutput } from '../../src-shared/contract/methods.js';
import type {
  StreamDescription,
  StreamName,
  StreamParams,
} from '../../src-shared/contract/streams.js';
import { AppError } from '../../src-shared/errors.js';

/**
 * The CLI is the local operator: whoever can run it owns the data folder anyway, so it acts
 * as an admin system principal. It still goes through the router, so input validation,
 * permissions and the audit log are the same as for every other transport.
 */
const CLI_CONTEXT: CallContext = {
  transport: 'cli',
  principal: { kind: 'system', name: 'cli', role: 'admin' },
  client: 'cli',
};

/**
 * NEUROSPHERE_MODELS_DIR points the CLI (and serve) at another models folder: a site that keeps
 * models apart from the install, and tests that install tiny models in a temp folder.
 * Undefined means the core's default, the app's own models/ folder.
 */
export function modelsDirFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env['NEUROSPHERE_MODELS_DIR'];
  return fromEnv === undefined || fromEnv === '' ? undefined : resolve(fromEnv);
}

export interface CliCore {
  readonly core: Core;
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** A download of the contract's streams (e.g. a report PDF), gathered into one buffer. */
  stream<S extends StreamName>(
    name: S,
    params: StreamParams<S>,
  ): Promise<{ description: StreamDescription<S>; bytes: Buffer }>;
  /** An upload stream (e.g. a voice caption's recording): the body read from `chunks`. */
  upload<S extends StreamName>(
    name: S,
    params: StreamParams<S>,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<StreamDescription<S>>;
  close(): Promise<void>;
}

export async function openCliCore(options: {
  dataDirFlag: string | undefined;
  env: NodeJS.ProcessEnv;
  /**
   * Import: the CLI starts the queue itself, after subscribing to events, so it can show
   * jobs resumed after a crash. One job at a time: a resumed import and a new one over the
   * same folder then run one after the other instead of racing for the same files.
   */
  jobConcurrency?: number;
}): Promise<CliCore> {
  const modelsDir = modelsDirFromEnv(options.env);
  const dataDir = resolveDataDir(options.dataDirFlag, options.env);
  const core = createCore({
    dataDir,
    auditKey: await resolveAuditKey({ dataDir, env: options.env }),
    encryption: await resolveDataDirEncryption({ dataDir, env: options.env }),
    ...(modelsDir !== undefined && { modelsDir }),
    providerPreference: providerPreferenceFromEnv(options.env),
    runJobs: false,
    jobConcurrency: options.jobConcurrency ?? 1,
  });
  return {
    core,
    async call(method, input) {
      const result = await core.router.call(method, input, CLI_CONTEXT);
      if (!result.ok) {
        const { code, message, details } = result.error;
        throw new AppError(code, message, details);
      }
      // The router validated the input and the handler is typed against the contract.
      return result.value as MethodOutput<typeof method>;
    },
    async stream(name, params) {
      const result = await core.router.stream(name, params, CLI_CONTEXT);
      if (!result.ok) {
        const { code, message, details } = result.error;
        throw new AppError(code, message, details);
      }
      const chunks: Uint8Array[] = [];
      const data = result.value.data;
      if (data instanceof Uint8Array) chunks.push(data);
      else if (data !== undefined) for await (const chunk of data) chunks.push(chunk);
      // The router checked the description against the stream's spec.
      return {
        description: (result.value.description ?? null) as StreamDescription<typeof name>,
        bytes: Buffer.concat(chunks),
      };
    },
    async upload(name, params, chunks) {
      const result = await core.router.stream(name, params, CLI_CONTEXT, {
        chunks,
        declaredBytes: null,
      });
      if (!result.ok) {
        const { code, message, details } = result.error;
        throw new AppError(code, message, details);
      }
      return (result.value.description ?? null) as StreamDescription<typeof name>;
    },
    close: () => core.close(),
  };
}
