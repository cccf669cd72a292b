import { resolve } from 'node:path';
import {
  providerPreferenceFromEnv,
  createCore,
  type Core,
  type CallContext,
  resolveDataDir,
} from '../core/index.js';
import type { MethodInput, MethodName, MethodOutput } from '../../src-shared/contract/methods.js';
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
  close(): Promise<void>;
}

export function openCliCore(options: {
  dataDirFlag: string | undefined;
  env: NodeJS.ProcessEnv;
  /**
   * Import: the CLI starts the queue itself, after subscribing to events, so it can show
   * jobs resumed after a crash. One job at a time: a resumed import and a new one over the
   * same folder then run one after the other instead of racing for the same files.
   */
  jobConcurrency?: number;
}): CliCore {
  const modelsDir = modelsDirFromEnv(options.env);
  const core = createCore({
    dataDir: resolveDataDir(options.dataDirFlag, options.env),
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
    close: () => core.close(),
  };
}
