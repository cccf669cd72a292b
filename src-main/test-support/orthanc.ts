import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Debian's Orthanc and its DICOMweb plugin (apt: orthanc, orthanc-dicomweb). */
export const ORTHANC_BIN = '/usr/sbin/Orthanc';
export const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

export function hasOrthanc(): boolean {
  return existsSync(ORTHANC_BIN);
}

/** A port nobody listens on now (the system's choice for port 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface TestOrthanc {
  readonly aeTitle: string;
  readonly dicomPort: number;
  readonly httpUrl: string;
  /** Its REST API, JSON in and out. */
  rest<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /** Uploads a Part 10 file through the REST API (POST /instances). */
  upload(file: Buffer): Promise<void>;
  /** Declares a DICOM modality (AE title, host, port) it may C-MOVE to. */
  addModality(name: string, aeTitle: string, port: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Orthanc on loopback with a generated configuration: storage in `dir`, free DICOM and
 * HTTP ports, no authentication, the DICOMweb plugin enabled. Resolves once its REST API answers.
 */
export async function startOrthanc(dir: string, aeTitle = 'ORTHANC'): Promise<TestOrthanc> {
  mkdirSync(dir, { recursive: true });
  const dicomPort = await freePort();
  const httpPort = await freePort();
  const configPath = join(dir, 'orthanc.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      Name: 'neurosphere-test',
      StorageDirectory: join(dir, 'storage'),
      IndexDirectory: join(dir, 'index'),
      HttpPort: httpPort,
      DicomPort: dicomPort,
      DicomAet: aeTitle,
      RemoteAccessAllowed: false,
      AuthenticationEnabled: false,
      HttpServerEnabled: true,
      DicomServerEnabled: true,
      DicomCheckCalledAet: false,
      DicomAlwaysAllowEcho: true,
      DicomAlwaysAllowStore: true,
      DicomAlwaysAllowFind: true,
      DicomAlwaysAllowMove: true,
      DicomModalities: {},
      DicomModalitiesInDatabase: false,
      Plugins: [DICOMWEB_PLUGIN],
      DicomWeb: { Enable: true, Root: '/dicom-web/' },
      StableAge: 1,
      ConcurrentJobs: 2,
    }),
  );
  const child: ChildProcess = spawn(ORTHANC_BIN, [configPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const httpUrl = `http://127.0.0.1:${httpPort}`;

  async function rest<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    const response = await fetch(`${httpUrl}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      ...(init.body !== undefined && {
        body: Buffer.isBuffer(init.body) ? new Uint8Array(init.body) : JSON.stringify(init.body),
      }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Orthanc ${path}: HTTP ${response.status} ${text}`);
    return (text === '' ? null : JSON.parse(text)) as T;
  }

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Orthanc exited at start:\n${log}`);
    try {
      await rest('/system');
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`Orthanc did not answer within 20 s:\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return {
    aeTitle,
    dicomPort,
    httpUrl,
    rest,
    async upload(file) {
      await rest('/instances', { body: file });
    },
    async addModality(name, modalityAe, port) {
      await rest(`/modalities/${name}`, {
        method: 'PUT',
        body: { AET: modalityAe, Host: '127.0.0.1', Port: port },
      });
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
