import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { JOB_STATUSES, SCAN_STATUSES, type JobStatus } from '../../src-shared/contract/entities.js';
import { ROLES, type Role } from '../../src-shared/roles.js';

/** A command line that cannot be understood: exit status 2 with the usage text. */
export class UsageError extends Error {
  /** The command being parsed, so the error can show that command's synopsis. */
  command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

type ScanStatus = (typeof SCAN_STATUSES)[number];

interface Paging {
  page: number | undefined;
  limit: number | undefined;
}

/** Every command that touches data takes --data-dir. */
interface WithData {
  dataDir: string | undefined;
}

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | (WithData & { kind: 'import'; paths: string[]; patient: string | undefined; json: boolean })
  | (WithData & {
      kind: 'analyze';
      /** Files and folders to import (if needed) and analyse. */
      paths: string[];
      /** Scans already imported, analysed as they are (--scan, repeatable). */
      scanIds: string[];
      /** Segmentation model id; undefined: the core's default. */
      model: string | undefined;
      /** Classification model id; null: do not classify ('none'); undefined: the default. */
      classifier: string | null | undefined;
      /** Analyse even inputs the models do not read (the result carries a warning). */
      force: boolean;
      out: string | undefined;
      /** Write each analysed scan's report PDF into this folder (--report DIR). */
      report: string | undefined;
      json: boolean;
    })
  | (WithData &
      Paging & {
        kind: 'scans list';
        status: ScanStatus | undefined;
        search: string | undefined;
        json: boolean;
      })
  | (WithData & { kind: 'scans show'; id: string; json: boolean })
  | (WithData & {
      kind: 'export-dicom';
      scanId: string;
      out: string;
      /** A report PDF to add as an Encapsulated PDF. */
      reportPdf: string | undefined;
      json: boolean;
    })
  | (WithData & {
      kind: 'report';
      scanId: string;
      /** A PDF file, or a folder for the report's own name; undefined: the current folder. */
      out: string | undefined;
      /** Also write the DICOM results (SEG, overlays, the report as Encapsulated PDF) here. */
      dicom: string | undefined;
      json: boolean;
    })
  | (WithData & Paging & { kind: 'patients list'; search: string | undefined; json: boolean })
  | (WithData & {
      kind: 'users add';
      username: string;
      role: Role;
      displayName: string | undefined;
    })
  | (WithData & Paging & { kind: 'jobs list'; status: JobStatus | undefined; json: boolean })
  | (WithData & { kind: 'audit verify'; json: boolean })
  | (WithData & {
      kind: 'serve';
      host: string | undefined;
      port: number | undefined;
      /** Analyse every imported scan automatically (default); --no-auto-analyse turns it off. */
      autoAnalyse: boolean;
    });

const COMMON = {
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsOptionsConfig;

const PAGING = {
  page: { type: 'string' },
  limit: { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

/** Options that take a value: the first pass must know them so `--status done scans` parses. */
const VALUE_OPTIONS: ParseArgsOptionsConfig = Object.fromEntries(
  [
    'data-dir',
    'patient',
    'status',
    'search',
    'page',
    'limit',
    'username',
    'role',
    'display-name',
    'host',
    'port',
    'model',
    'classifier',
    'out',
    'scan',
    'report-pdf',
    'report',
    'dicom',
  ].map((name) => [name, { type: 'string' }]),
);

const GROUPS = new Set(['scans', 'patients', 'users', 'jobs', 'audit']);

function parseWith<T extends ParseArgsOptionsConfig>(args: string[], options: T) {
  try {
    return parseArgs({
      args,
      options: { ...COMMON, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function integer(name: string, text: string | undefined, min: number, max: number) {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${text}".`);
  }
  return value;
}

function oneOf<T extends string>(name: string, text: string | undefined, allowed: readonly T[]) {
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not "${text}".`);
  }
  return text as T;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The model registry's id rule: checked here so a typo is a usage error, not a failed job. */
const MODEL_ID = /^[a-z0-9-]{1,64}$/;

function modelId(name: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!MODEL_ID.test(text))
    throw new UsageError(
      `--${name} must be a model id (lower-case letters, digits and "-"), not "${text}".`,
    );
  return text;
}

function parseAnalyze(rest: string[]): Command {
  const { values, positionals } = parseWith(rest, {
    model: { type: 'string' },
    classifier: { type: 'string' },
    scan: { type: 'string', multiple: true },
    out: { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
    force: { type: 'boolean' },
  });
  if (values.help === true) return { kind: 'help' };
  const scanIds = values.scan ?? [];
  if (positionals.length === 0 && scanIds.length === 0)
    throw new UsageError('analyze needs at least one file or folder, or --scan ID.');
  const badScan = scanIds.find((id) => !UUID.test(id));
  if (badScan !== undefined)
    throw new UsageError(`--scan takes a scan id (as "scans list" shows), not "${badScan}".`);
  if (values.out === '') throw new UsageError('--out needs a folder.');
  if (values.report === '') throw new UsageError('--report needs a folder.');
  return {
    kind: 'analyze',
    paths: positionals,
    scanIds,
    model: modelId('model', values.model),
    classifier: values.classifier === 'none' ? null : modelId('classifier', values.classifier),
    force: values.force === true,
    out: values.out,
    report: values.report,
    json: values.json === true,
    dataDir: values['data-dir'],
  };
}

function parseReport(rest: string[]): Command {
  const { values, positionals } = parseWith(rest, {
    out: { type: 'string' },
    dicom: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help === true) return { kind: 'help' };
  const [scanId, extra] = positionals;
  if (scanId === undefined) throw new UsageError('report needs a scan id.');
  if (extra !== undefined) throw new UsageError(`report takes one scan id, not "${extra}".`);
  if (!UUID.test(scanId))
    throw new UsageError(`report takes a scan id (as "scans list" shows), not "${scanId}".`);
  if (values.out === '') throw new UsageError('--out needs a file or a folder.');
  if (values.dicom === '') throw new UsageError('--dicom needs a folder.');
  return {
    kind: 'report',
    scanId,
    out: values.out,
    dicom: values.dicom,
    json: values.json === true,
    dataDir: values['data-dir'],
  };
}

function noPositionals(command: string, positionals: string[]): void {
  if (positionals.length > 0)
    throw new UsageError(`${command} takes no argument "${positionals[0]}".`);
}

/** Splits the command words (`scans list`) from the options, wherever the options stand. */
function splitCommand(argv: readonly string[]): { words: string[]; rest: string[] } {
  const { tokens } = parseArgs({
    args: [...argv],
    options: { ...VALUE_OPTIONS, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const positional = tokens.filter((t) => t.kind === 'positional');
  const first = positional[0];
  const second = first !== undefined && GROUPS.has(first.value) ? positional[1] : undefined;
  const used = [first, second].filter((t) => t !== undefined);
  return {
    words: used.map((t) => t.value),
    rest: argv.filter((_, index) => !used.some((t) => t.index === index)),
  };
}

/** Turns argv (without node and the script) into a command, or throws UsageError. */
export function parseCommandLine(argv: readonly string[]): Command {
  const { words, rest } = splitCommand(argv);
  const name = words.join(' ');
  try {
    return parseCommand(name, words, rest, argv);
  } catch (error) {
    if (error instanceof UsageError) error.command ??= name === '' ? undefined : name;
    throw error;
  }
}

function parseCommand(
  name: string,
  words: string[],
  rest: string[],
  argv: readonly string[],
): Command {
  if (name === '') {
    const { values } = parseWith([...argv], {});
    if (values.version === true) return { kind: 'version' };
    if (values.help === true) return { kind: 'help' };
    throw new UsageError('No command given.');
  }
  switch (name) {
    case 'import': {
      const { values, positionals } = parseWith(rest, {
        patient: { type: 'string' },
        json: { type: 'boolean' },
      });
      if (values.help === true) return { kind: 'help' };
      if (positionals.length === 0)
        throw new UsageError('import needs at least one file or folder.');
      return {
        kind: 'import',
        paths: positionals,
        patient: values.patient,
        json: values.json === true,
        dataDir: values['data-dir'],
      };
    }
    case 'analyze':
      return parseAnalyze(rest);
    case 'report':
      return parseReport(rest);
    case 'scans list': {
      const { values, positionals } = parseWith(rest, {
        ...PAGING,
        status: { type: 'string' },
        search: { type: 'string' },
        json: { type: 'boolean' },
      });
      if (values.help === true) return { kind: 'help' };
      noPositionals(name, positionals);
      return {
        kind: 'scans list',
        status: oneOf('status', values.status, SCAN_STATUSES),
        search: values.search,
        page: integer('page', values.page, 1, 1_000_000),
        limit: integer('limit', values.limit, 1, 500),
        json: values.json === true,
        dataDir: values['data-dir'],
      };
    }
    case 'scans show': {
      const { values, positionals } = parseWith(rest, { json: { type: 'boolean' } });
      if (values.help === true) return { kind: 'help' };
      const [id, extra] = positionals;
      if (id === undefined) throw new UsageError('scans show needs a scan id.');
      if (extra !== undefined) throw new UsageError(`scans show takes one id, not "${extra}".`);
      return { kind: 'scans show', id, json: values.json === true, dataDir: values['data-dir'] };
    }
    case 'export-dicom': {
      const { values, positionals } = parseWith(rest, {
        out: { type: 'string' },
        'report-pdf': { type: 'string' },
        json: { type: 'boolean' },
      });
      if (values.help === true) return { kind: 'help' };
      const [scanId, extra] = positionals;
      if (scanId === undefined) throw new UsageError('export-dicom needs a scan id.');
      if (extra !== undefined)
        throw new UsageError(`export-dicom takes one scan id, not "${extra}".`);
      if (!UUID.test(scanId))
        throw new UsageError(
          `export-dicom takes a scan id (as "scans list" shows), not "${scanId}".`,
        );
      if (values.out === undefined || values.out === '')
        throw new UsageError('export-dicom needs --out DIR, the folder to write the files in.');
      if (values['report-pdf'] === '') throw new UsageError('--report-pdf needs a PDF file.');
      return {
        kind: 'export-dicom',
        scanId,
        out: values.out,
        reportPdf: values['report-pdf'],
        json: values.json === true,
        dataDir: values['data-dir'],
      };
    }
    case 'patients list': {
      const { values, positionals } = parseWith(rest, {
        ...PAGING,
        search: { type: 'string' },
        json: { type: 'boolean' },
      });
      if (values.help === true) return { kind: 'help' };
      noPositionals(name, positionals);
      return {
        kind: 'patients list',
        search: values.search,
        page: integer('page', values.page, 1, 1_000_000),
        limit: integer('limit', values.limit, 1, 500),
        json: values.json === true,
        dataDir: values['data-dir'],
      };
    }
    case 'users add': {
      const { values, positionals } = parseWith(rest, {
        username: { type: 'string' },
        role: { type: 'string' },
        'display-name': { type: 'string' },
        'password-stdin': { type: 'boolean' },
      });
      if (values.help === true) return { kind: 'help' };
      noPositionals(name, positionals);
      if (values.username === undefined) throw new UsageError('users add needs --username.');
      const role = oneOf('role', values.role, ROLES);
      if (role === undefined) throw new UsageError('users add needs --role.');
      if (values['password-stdin'] !== true) {
        // A password in argv ends up in shell history and the process list.
        throw new UsageError('users add reads the password from stdin: pass --password-stdin.');
      }
      return {
        kind: 'users add',
        username: values.username,
        role,
        displayName: values['display-name'],
        dataDir: values['data-dir'],
      };
    }
    case 'jobs list': {
      const { values, positionals } = parseWith(rest, {
        ...PAGING,
        status: { type: 'string' },
        json: { type: 'boolean' },
      });
      if (values.help === true) return { kind: 'help' };
      noPositionals(name, positionals);
      return {
        kind: 'jobs list',
        status: oneOf('status', values.status, JOB_STATUSES),
        page: integer('page', values.page, 1, 1_000_000),
        limit: integer('limit', values.limit, 1, 500),
        json: values.json === true,
        dataDir: values['data-dir'],
      };
    }
    case 'audit verify': {
      const { values, positionals } = parseWith(rest, { json: { type: 'boolean' } });
      if (values.help === true) return { kind: 'help' };
      noPositionals(name, positionals);
      return { kind: 'audit verify', json: values.json === true, dataDir: values['data-dir'] };
    }
    case 'serve': {
      const { values, positionals } = parseWith(rest, {
        host: { type: 'string' },
        port: { type: 'string' },
        'no-auto-analyse': { type: 'boolean' },
      });
      if (values.help === true) return { kind: 'help' };
      noPositionals(name, positionals);
      return {
        kind: 'serve',
        host: values.host,
        port: integer('port', values.port, 0, 65_535),
        autoAnalyse: values['no-auto-analyse'] !== true,
        dataDir: values['data-dir'],
      };
    }
    default:
      if (GROUPS.has(words[0] ?? ''))
        throw new UsageError(
          words[1] === undefined ? `${words[0]} needs a subcommand.` : `Unknown command "${name}".`,
        );
      throw new UsageError(`Unknown command "${name}".`);
  }
}
