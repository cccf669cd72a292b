import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import {
  JOB_STATUSES,
  SCAN_STATUSES,
  VISUALIZATION_COLOUR_SCHEMES,
  VISUALIZATION_QUALITIES,
  type JobStatus,
} from '../../src-shared/contract/entities.js';
import { parseRole, ROLES, type Role } from '../../src-shared/roles.js';
import { DENTAL_CAPTION_MODALITIES } from '../../src-shared/contract/dental.js';

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
      kind: 'dental caption';
      caseId: string;
      voice: string;
      modality: (typeof DENTAL_CAPTION_MODALITIES)[number];
      json: boolean;
    })
  | (WithData & {
      kind: 'import dental';
      name: string;
      patient: string | undefined;
      upper: string | undefined;
      lower: string | undefined;
      cbct: string | undefined;
      json: boolean;
    })
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
      kind: 'deidentify';
      /** A scan id or a study id; null with `folder`. */
      id: string | null;
      /** A folder of DICOM files to de-identify instead of stored data (--folder). */
      folder: string | null;
      out: string;
      dates: 'off' | 'full' | 'offset';
      retainUids: boolean;
      retainPatientCharacteristics: boolean;
      includeResults: boolean;
      allowBurnedIn: boolean;
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
      /** A patient account's patient record. */
      patientId: string | undefined;
    })
  | (WithData & { kind: 'users list'; json: boolean })
  | (WithData & {
      kind: 'users set';
      username: string;
      role: Role | undefined;
      patientId: string | undefined;
      /** true: --disable, false: --enable, undefined: neither. */
      disabled: boolean | undefined;
      unlock: boolean;
      /** A new password is read from stdin. */
      password: boolean;
    })
  | (WithData & Paging & { kind: 'jobs list'; status: JobStatus | undefined; json: boolean })
  | (WithData & { kind: 'backup'; dir: string; json: boolean })
  | (WithData & {
      kind: 'restore';
      dir: string;
      json: boolean;
      /** An encrypted backup on a machine without its key: the recovery key is read from stdin. */
      recoveryKeyStdin?: boolean;
    })
  | {
      kind: 'update pack';
      installer: string;
      /** The release's version; undefined: this build's package.json version. */
      release: string | undefined;
      key: string;
      out: string;
    }
  | (WithData & { kind: 'update verify' | 'update apply'; bundle: string; json: boolean })
  | (WithData & {
      kind: 'dicom';
      action: 'echo' | 'find' | 'move' | 'send' | 'listen';
      /** A PACS destination's id, or AE@host:port. */
      peer: string | undefined;
      studyInstanceUid: string | undefined;
      query: {
        patientId?: string;
        patientName?: string;
        studyDate?: string;
        modality?: string;
        accessionNumber?: string;
      };
      scanId: string | undefined;
      paths: string[];
      /** Our AE title and listening port for this run (default: the settings). */
      aeTitle: string | undefined;
      port: number | undefined;
      json: boolean;
    })
  | (WithData & {
      kind: 'dicomweb';
      action: 'search' | 'retrieve';
      /** A PACS destination's id (Settings → DICOM) with a DICOMweb URL. */
      destinationId: string;
      studyInstanceUid: string | undefined;
      seriesInstanceUid: string | undefined;
      query: { patientId?: string; patientName?: string; studyDate?: string; modality?: string };
      json: boolean;
    })
  | (WithData & { kind: 'audit verify'; json: boolean })
  | (WithData & { kind: 'encryption status'; json: boolean; confirmRecoveryKey: boolean })
  | (WithData & { kind: 'encryption recover'; json: boolean })
  | (WithData & { kind: 'encryption enable'; json: boolean })
  | (WithData & {
      kind: 'visualize';
      scanId: string;
      /** The HTML file to write (or a folder to write it in under its own name). */
      out: string;
      quality: (typeof VISUALIZATION_QUALITIES)[number];
      colorScheme: (typeof VISUALIZATION_COLOUR_SCHEMES)[number];
      highlightTumor: boolean;
      json: boolean;
    })
  | (WithData & {
      kind: 'sync';
      action: 'status' | 'run' | 'pause' | 'resume';
      json: boolean;
      /** `sync run`: give up waiting for a PACS that does not answer after this many seconds. */
      timeoutSeconds: number | undefined;
    })
  | (WithData & {
      kind: 'serve';
      host: string | undefined;
      port: number | undefined;
      /** Analyse every imported scan automatically (default); --no-auto-analyse turns it off. */
      autoAnalyse: boolean;
      /** PEM certificate and key files: serve HTTPS. */
      tls: { certFile: string; keyFile: string } | undefined;
      /** REST API requests per user per minute. */
      rateLimit: number | undefined;
      /** Origins whose web pages may call the REST API. */
      corsOrigins: string[];
      /** REST upload body limit in MiB. */
      maxUploadMb: number | undefined;
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
    'release',
    'key',
    'folder',
    'patient-id',
    'name',
    'date',
    'modality',
    'accession',
    'ae',
    'upper',
    'lower',
    'cbct',
    'quality',
    'color-scheme',
    'timeout',
    'destination',
    'study',
    'series',
  ].map((name) => [name, { type: 'string' }]),
);

const GROUPS = new Set([
  'dental',
  'scans',
  'patients',
  'users',
  'jobs',
  'update',
  'dicom',
  'audit',
  'sync',
  'encryption',
  'dicomweb',
]);

/** `dental caption --case ID --voice FILE.webm [--modality M] [--json]`. */
function parseDentalCaption(args: string[]): Command {
  const { values, positionals } = parseWith(args, {
    case: { type: 'string' },
    voice: { type: 'string' },
    modality: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help === true) return { kind: 'help' };
  noPositionals('dental caption', positionals);
  if (values.case === undefined || !UUID.test(values.case))
    throw new UsageError('dental caption needs --case ID, the id of a dental case.');
  if (values.voice === undefined || values.voice === '')
    throw new UsageError('dental caption needs --voice FILE, a WebM/Opus recording.');
  return {
    kind: 'dental caption',
    caseId: values.case,
    voice: values.voice,
    modality: oneOf('modality', values.modality, DENTAL_CAPTION_MODALITIES) ?? 'case',
    json: values.json === true,
    dataDir: values['data-dir'],
  };
}

/** `import --dental --name N [--patient ID] [--upper U.stl] [--lower L.stl] [--cbct PATH]`. */
function parseDentalImport(args: string[]): Command {
  const { values, positionals } = parseWith(args, {
    dental: { type: 'boolean' },
    name: { type: 'string' },
    patient: { type: 'string' },
    upper: { type: 'string' },
    lower: { type: 'string' },
    cbct: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help === true) return { kind: 'help' };
  if (positionals.length > 0)
    throw new UsageError(
      'import --dental takes its files as --upper, --lower and --cbct, not as bare paths.',
    );
  if (values.name === undefined || values.name.trim() === '')
    throw new UsageError('import --dental needs --name (the name of the dental case).');
  if (values.upper === undefined && values.lower === undefined && values.cbct === undefined)
    throw new UsageError('import --dental needs at least one of --upper, --lower or --cbct.');
  return {
    kind: 'import dental',
    name: values.name,
    patient: values.patient,
    upper: values.upper,
    lower: values.lower,
    cbct: values.cbct,
    json: values.json === true,
    dataDir: values['data-dir'],
  };
}

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

/** A role by name or by a seed's alias (superuser, standard, student-developer). */
function roleOption(text: string | undefined): Role | undefined {
  if (text === undefined) return undefined;
  const role = parseRole(text);
  if (role === undefined)
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}, not "${text}".`);
  return role;
}

function uuidOption(name: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!UUID.test(text)) throw new UsageError(`--${name} must be an id (a UUID), not "${text}".`);
  return text;
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

function parseDeidentify(rest: string[]): Command {
  const { values, positionals } = parseWith(rest, {
    out: { type: 'string' },
    folder: { type: 'string' },
    'retain-dates': { type: 'boolean' },
    'shift-dates': { type: 'boolean' },
    'retain-uids': { type: 'boolean' },
    'retain-patient-characteristics': { type: 'boolean' },
    'include-results': { type: 'boolean' },
    'allow-burned-in': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help === true) return { kind: 'help' };
  const [id, extra] = positionals;
  const folder = values.folder ?? null;
  if (folder === '') throw new UsageError('--folder needs a folder of DICOM files.');
  if (id === undefined && folder === null)
    throw new UsageError('deidentify needs a scan or study id, or --folder DIR.');
  if (id !== undefined && folder !== null)
    throw new UsageError('deidentify takes an id or --folder, not both.');
  if (extra !== undefined) throw new UsageError(`deidentify takes one id, not "${extra}".`);
  if (id !== undefined && !UUID.test(id))
    throw new UsageError(
      `deidentify takes a scan or study id (as "scans list" and "scans show" show), not "${id}".`,
    );
  if (values.out === undefined || values.out === '')
    throw new UsageError('deidentify needs --out DIR, the folder to write the files in.');
  if (values['retain-dates'] === true && values['shift-dates'] === true)
    throw new UsageError('Choose --retain-dates or --shift-dates, not both.');
  return {
    kind: 'deidentify',
    id: id ?? null,
    folder,
    out: values.out,
    dates:
      values['retain-dates'] === true ? 'full' : values['shift-dates'] === true ? 'offset' : 'off',
    retainUids: values['retain-uids'] === true,
    retainPatientCharacteristics: values['retain-patient-characteristics'] === true,
    includeResults: values['include-results'] === true,
    allowBurnedIn: values['allow-burned-in'] === true,
    json: values.json === true,
    dataDir: values['data-dir'],
  };
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

/** `backup DIR`, `restore DIR`, `update verify BUNDLE`: exactly one folder. */
function oneFolder(command: string, positionals: string[], what: string): string {
  const [dir, extra] = positionals;
  if (dir === undefined || dir === '') throw new UsageError(`${command} needs ${what}.`);
  if (extra !== undefined) throw new UsageError(`${command} takes one folder, not "${extra}".`);
  return dir;
}

function parseBackupCommand(name: 'backup' | 'restore', rest: string[]): Command {
  const { values, positionals } = parseWith(rest, {
    json: { type: 'boolean' },
    ...(name === 'restore' && { 'recovery-key-stdin': { type: 'boolean' as const } }),
  });
  if (values.help === true) return { kind: 'help' };
  const what = name === 'backup' ? 'the folder to back up into' : 'the backup folder to restore';
  return {
    kind: name,
    dir: oneFolder(name, positionals, what),
    json: values.json === true,
    dataDir: values['data-dir'],
    ...(values['recovery-key-stdin'] === true && { recoveryKeyStdin: true }),
  };
}

function parseUpdateCommand(name: string, rest: string[]): Command {
  if (name === 'update pack') {
    const { values, positionals } = parseWith(rest, {
      release: { type: 'string' },
      key: { type: 'string' },
      out: { type: 'string' },
    });
    if (values.help === true) return { kind: 'help' };
    const installer = oneFolder(name, positionals, 'the installer file');
    if (values.key === undefined || values.key === '')
      throw new UsageError('update pack needs --key FILE, the Ed25519 private key (PEM).');
    if (values.out === undefined || values.out === '')
      throw new UsageError('update pack needs --out DIR, a new folder for the bundle.');
    return {
      kind: 'update pack',
      installer,
      release: values.release,
      key: values.key,
      out: values.out,
    };
  }
  const { values, positionals } = parseWith(rest, { json: { type: 'boolean' } });
  if (values.help === true) return { kind: 'help' };
  return {
    kind: name === 'update verify' ? 'update verify' : 'update apply',
    bundle: oneFolder(name, positionals, 'the update bundle folder'),
    json: values.json === true,
    dataDir: values['data-dir'],
  };
}

const DICOMWEB_ACTIONS = ['search', 'retrieve'] as const;
const UID = /^[0-9.]{1,64}$/;

/** `dicomweb search|retrieve --destination ID …`: QIDO-RS and WADO-RS of a PACS destination. */
function parseDicomWeb(action: string, rest: string[]): Command {
  const { values, positionals } = parseWith(rest, {
    destination: { type: 'string' },
    'patient-id': { type: 'string' },
    name: { type: 'string' },
    date: { type: 'string' },
    modality: { type: 'string' },
    study: { type: 'string' },
    series: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help === true) return { kind: 'help' };
  const known = DICOMWEB_ACTIONS.find((a) => a === action);
  if (known === undefined)
    throw new UsageError(
      `Unknown command "dicomweb ${action}": use ${DICOMWEB_ACTIONS.join(', ')}.`,
    );
  if (positionals.length > 0)
    throw new UsageError(`dicomweb ${known} takes options only, not "${positionals[0]}".`);
  if (values.destination === undefined || values.destination === '')
    throw new UsageError(
      `dicomweb ${known} needs --destination ID: a PACS destination with a DICOMweb URL (Settings → DICOM).`,
    );
  if (known === 'retrieve' && values.study === undefined)
    throw new UsageError('dicomweb retrieve needs --study UID, the Study Instance UID.');
  if (known === 'search' && (values.study !== undefined || values.series !== undefined))
    throw new UsageError('--study and --series go with dicomweb retrieve, not search.');
  for (const [flag, uid] of [
    ['study', values.study],
    ['series', values.series],
  ] as const)
    if (uid !== undefined && !UID.test(uid))
      throw new UsageError(`--${flag} takes a DICOM UID (digits and dots), not "${uid}".`);
  if (values.date !== undefined && !/^(\d{8})?(-(\d{8})?)?$/.test(values.date))
    throw new UsageError(`--date is YYYYMMDD or YYYYMMDD-YYYYMMDD, not "${values.date}".`);
  return {
    kind: 'dicomweb',
    action: known,
    destinationId: values.destination,
    studyInstanceUid: values.study,
    seriesInstanceUid: values.series,
    query: {
      ...(values['patient-id'] !== undefined && { patientId: values['patient-id'] }),
      ...(values.name !== undefined && { patientName: values.name }),
      ...(values.date !== undefined && { studyDate: values.date }),
      ...(values.modality !== undefined && { modality: values.modality.toUpperCase() }),
    },
    json: values.json === true,
    dataDir: values['data-dir'],
  };
}

const DICOM_ACTIONS = ['echo', 'find', 'move', 'send', 'listen'] as const;

function parseDicom(action: string, rest: string[]): Command {
  const { values, positionals } = parseWith(rest, {
    'patient-id': { type: 'string' },
    name: { type: 'string' },
    date: { type: 'string' },
    modality: { type: 'string' },
    accession: { type: 'string' },
    scan: { type: 'string' },
    ae: { type: 'string' },
    port: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help === true) return { kind: 'help' };
  const known = DICOM_ACTIONS.find((a) => a === action);
  if (known === undefined)
    throw new UsageError(`Unknown command "dicom ${action}": use ${DICOM_ACTIONS.join(', ')}.`);
  const [peer, ...more] = positionals;
  if (known !== 'listen' && peer === undefined)
    throw new UsageError(`dicom ${known} needs a PACS: a destination id, or AE@host:port.`);
  if (known === 'listen' && peer !== undefined)
    throw new UsageError(`dicom listen takes no argument "${peer}".`);
  if (known === 'move' && more.length !== 1)
    throw new UsageError('dicom move needs one Study Instance UID after the PACS.');
  if (known === 'send' && more.length === 0 && values.scan === undefined)
    throw new UsageError('dicom send needs files or folders, or --scan ID.');
  if ((known === 'echo' || known === 'find') && more.length > 0)
    throw new UsageError(`dicom ${known} takes one PACS, not also "${more[0]}".`);
  if (values.scan !== undefined && !UUID.test(values.scan))
    throw new UsageError(`--scan takes a scan id (as "scans list" shows), not "${values.scan}".`);
  return {
    kind: 'dicom',
    action: known,
    peer,
    studyInstanceUid: known === 'move' ? more[0] : undefined,
    query: {
      ...(values['patient-id'] !== undefined && { patientId: values['patient-id'] }),
      ...(values.name !== undefined && { patientName: values.name }),
      ...(values.date !== undefined && { studyDate: values.date }),
      ...(values.modality !== undefined && { modality: values.modality.toUpperCase() }),
      ...(values.accession !== undefined && { accessionNumber: values.accession }),
    },
    scanId: values.scan,
    paths: known === 'send' ? more : [],
    aeTitle: values.ae,
    port: integer('port', values.port, 0, 65_535),
    json: values.json === true,
    dataDir: values['data-dir'],
  };
}

const SYNC_ACTIONS = ['status', 'run', 'pause', 'resume'] as const;

/** `sync status|run|pause|resume [--json] [--timeout S]`. */
function parseSync(action: string, rest: string[]): Command {
  const { values, positionals } = parseWith(rest, {
    json: { type: 'boolean' },
    timeout: { type: 'string' },
  });
  if (values.help === true) return { kind: 'help' };
  const known = SYNC_ACTIONS.find((a) => a === action);
  if (known === undefined)
    throw new UsageError(`Unknown command "sync ${action}": use ${SYNC_ACTIONS.join(', ')}.`);
  noPositionals(`sync ${known}`, positionals);
  if (values.timeout !== undefined && known !== 'run')
    throw new UsageError('--timeout is for "sync run" only.');
  return {
    kind: 'sync',
    action: known,
    json: values.json === true,
    timeoutSeconds: integer('timeout', values.timeout, 1, 7 * 24 * 3600),
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

/** `visualize <scan-id> --out FILE [--quality Q] [--color-scheme S] [--no-highlight] [--json]`. */
function parseVisualize(rest: string[]): Command {
  const { values, positionals } = parseWith(rest, {
    out: { type: 'string' },
    quality: { type: 'string' },
    'color-scheme': { type: 'string' },
    'no-highlight': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help === true) return { kind: 'help' };
  const [scanId, extra] = positionals;
  if (scanId === undefined) throw new UsageError('visualize needs a scan id.');
  if (extra !== undefined) throw new UsageError(`visualize takes one scan id, not "${extra}".`);
  if (!UUID.test(scanId))
    throw new UsageError(`visualize takes a scan id (as "scans list" shows), not "${scanId}".`);
  if (values.out === undefined || values.out === '')
    throw new UsageError('visualize needs --out FILE, the HTML file to write (e.g. scene.html).');
  return {
    kind: 'visualize',
    scanId,
    out: values.out,
    quality: oneOf('quality', values.quality, VISUALIZATION_QUALITIES) ?? 'medium',
    colorScheme:
      oneOf('color-scheme', values['color-scheme'], VISUALIZATION_COLOUR_SCHEMES) ?? 'standard',
    highlightTumor: values['no-highlight'] !== true,
    json: values.json === true,
    dataDir: values['data-dir'],
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
      if (rest.includes('--dental')) return parseDentalImport(rest);
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
    case 'dental caption':
      return parseDentalCaption(rest);
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
    case 'deidentify':
      return parseDeidentify(rest);
    case 'visualize':
      return parseVisualize(rest);
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
        patient: { type: 'string' },
        'password-stdin': { type: 'boolean' },
      });
      if (values.help === true) return { kind: 'help' };
      noPositionals(name, positionals);
      if (values.username === undefined) throw new UsageError('users add needs --username.');
      const role = roleOption(values.role);
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
        patientId: uuidOption('patient', values.patient),
        dataDir: values['data-dir'],
      };
    }
    case 'users list': {
      const { values, positionals } = parseWith(rest, { json: { type: 'boolean' } });
      if (values.help === true) return { kind: 'help' };
      noPositionals(name, positionals);
      return { kind: 'users list', json: values.json === true, dataDir: values['data-dir'] };
    }
    case 'users set': {
      const { values, positionals } = parseWith(rest, {
        role: { type: 'string' },
        patient: { type: 'string' },
        disable: { type: 'boolean' },
        enable: { type: 'boolean' },
        unlock: { type: 'boolean' },
        'password-stdin': { type: 'boolean' },
      });
      if (values.help === true) return { kind: 'help' };
      const [username, ...extra] = positionals;
      if (username === undefined || extra.length > 0)
        throw new UsageError('users set needs exactly one username.');
      if (values.disable === true && values.enable === true)
        throw new UsageError('Choose --disable or --enable, not both.');
      const command = {
        kind: 'users set' as const,
        username,
        role: roleOption(values.role),
        patientId: uuidOption('patient', values.patient),
        disabled: values.disable === true ? true : values.enable === true ? false : undefined,
        unlock: values.unlock === true,
        password: values['password-stdin'] === true,
        dataDir: values['data-dir'],
      };
      const hasChange =
        command.role !== undefined ||
        command.patientId !== undefined ||
        command.disabled !== undefined ||
        command.unlock ||
        command.password;
      if (!hasChange)
        throw new UsageError(
          'users set needs a change: --role, --patient, --disable, --enable, --unlock or --password-stdin.',
        );
      return command;
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
    case 'backup':
    case 'restore':
      return parseBackupCommand(name, rest);
    case 'update pack':
    case 'update verify':
    case 'update apply':
      return parseUpdateCommand(name, rest);
    case 'audit verify': {
      const { values, positionals } = parseWith(rest, { json: { type: 'boolean' } });
      if (values.help === true) return { kind: 'help' };
      noPositionals(name, positionals);
      return { kind: 'audit verify', json: values.json === true, dataDir: values['data-dir'] };
    }
    case 'encryption status': {
      const { values, positionals } = parseWith(rest, {
        json: { type: 'boolean' },
        'confirm-recovery-key': { type: 'boolean' },
      });
      if (values.help === true) return { kind: 'help' };
      noPositionals(name, positionals);
      return {
        kind: 'encryption status',
        json: values.json === true,
        confirmRecoveryKey: values['confirm-recovery-key'] === true,
        dataDir: values['data-dir'],
      };
    }
    case 'encryption enable': {
      const { values, positionals } = parseWith(rest, { json: { type: 'boolean' } });
      if (values.help === true) return { kind: 'help' };
      noPositionals(name, positionals);
      return { kind: 'encryption enable', json: values.json === true, dataDir: values['data-dir'] };
    }
    case 'encryption recover': {
      const { values, positionals } = parseWith(rest, { json: { type: 'boolean' } });
      if (values.help === true) return { kind: 'help' };
      noPositionals(name, positionals);
      return {
        kind: 'encryption recover',
        json: values.json === true,
        dataDir: values['data-dir'],
      };
    }
    case 'serve': {
      const { values, positionals } = parseWith(rest, {
        host: { type: 'string' },
        port: { type: 'string' },
        'no-auto-analyse': { type: 'boolean' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'rate-limit': { type: 'string' },
        'cors-origin': { type: 'string', multiple: true },
        'max-upload-mb': { type: 'string' },
      });
      if (values.help === true) return { kind: 'help' };
      noPositionals(name, positionals);
      const certFile = values['tls-cert'];
      const keyFile = values['tls-key'];
      if ((certFile === undefined) !== (keyFile === undefined))
        throw new UsageError('Give --tls-cert and --tls-key together (PEM files).');
      return {
        kind: 'serve',
        host: values.host,
        port: integer('port', values.port, 0, 65_535),
        autoAnalyse: values['no-auto-analyse'] !== true,
        tls: certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : undefined,
        rateLimit: integer('rate-limit', values['rate-limit'], 1, 1_000_000),
        corsOrigins: values['cors-origin'] ?? [],
        maxUploadMb: integer('max-upload-mb', values['max-upload-mb'], 1, 100_000),
        dataDir: values['data-dir'],
      };
    }
    default:
      if (words[0] === 'dicom' && words[1] !== undefined) return parseDicom(words[1], rest);
      if (words[0] === 'dicomweb' && words[1] !== undefined) return parseDicomWeb(words[1], rest);
      if (words[0] === 'sync' && words[1] !== undefined) return parseSync(words[1], rest);
      if (GROUPS.has(words[0] ?? ''))
        throw new UsageError(
          words[1] === undefined ? `${words[0]} needs a subcommand.` : `Unknown command "${name}".`,
        );
      throw new UsageError(`Unknown command "${name}".`);
  }
}
