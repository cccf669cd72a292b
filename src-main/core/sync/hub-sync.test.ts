import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  ensureBuilt,
  spawnCli,
  waitForLine,
  type CliRun,
} from '../../cli/testing/run-cli.js';
import { headWithSpot, writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { startFaultProxy } from '../../test-support/fault-proxy.js';
import { installFlairIdentityModel } from '../../test-support/model-fixtures.js';
import { createCore, resolveAuditKey } from '../index.js';

/**
 * Record sync between two real `neurosphere serve` processes (docs/hub-sync.md): a hub and
 * workstations, each on its own data folder, talking over the REST API with tokens. What the
 * hub holds is counted in its own database.
 */
const SERVING = /^Neurosphere \S+ serving (http:\/\/\S+) \(data: (.+)\)$/;
const ADMIN = { username: 'admin', password: 'quiet river 4471 lantern' };
const WORKSTATION = { username: 'ws-account', password: 'workstation 9932 orchard key' };

interface Serve {
  child: ChildProcess;
  url: string;
  port: number;
  exited: Promise<CliRun>;
}

let root: string;
let env: Record<string, string>;

async function serve(dataDir: string, port = 0): Promise<Serve> {
  const child = spawnCli(['serve', '--port', String(port), '--data-dir', dataDir], env);
  const exited = collect(child);
  if (child.stdout === null) throw new Error('no stdout');
  const [, url] = await waitForLine(child.stdout, SERVING);
  return { child, url: url ?? '', port: Number(new URL(url ?? '').port), exited };
}

async function stop(s: Serve, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  s.child.kill(signal);
  await s.exited;
}

async function call<T>(url: string, method: string, input: unknown, token?: string): Promise<T> {
  const response = await fetch(`${url}/api/rpc/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as { ok: boolean; value?: T; error?: unknown };
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.value as T;
}

const login = async (url: string): Promise<string> =>
  (await call<{ token: string }>(url, 'auth.login', ADMIN)).token;

/** Rows of a table in a data folder's database, read while its server runs. */
function count(dataDir: string, sql: string, ...args: unknown[]): number {
  const db = new Database(join(dataDir, 'neurosphere.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(sql).get(...args) as { n: number }).n;
  } finally {
    db.close();
  }
}

const outboxCount = (dataDir: string): number => count(dataDir, 'SELECT COUNT(*) AS n FROM outbox');
const atHub = (hubDir: string, origin: string): number =>
  count(hubDir, 'SELECT COUNT(*) AS n FROM hub_record_versions WHERE origin = ?', origin);

/** Waits until the hub holds every outbox entry of the workstation, pressing "Send now". */
async function untilSynced(
  ws: { url: string; token: string; dir: string },
  hubDir: string,
  origin: string,
  seconds = 90,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  const want = outboxCount(ws.dir);
  let lastRun = 0;
  while (atHub(hubDir, origin) < want) {
    if (Date.now() > deadline) {
      const status = await call(ws.url, 'sync.status', {}, ws.token);
      throw new Error(
        `${atHub(hubDir, origin)} of ${want} records at the hub after ${seconds} s: ${JSON.stringify(status)}`,
      );
    }
    if (Date.now() - lastRun > 1_000) {
      await call(ws.url, 'sync.run', {}, ws.token);
      lastRun = Date.now();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function addPatients(url: string, token: string, n: number, prefix: string): Promise<void> {
  for (let i = 0; i < n; i++)
    await call(url, 'patients.create', { name: `${prefix} ${i}`, mrn: `${prefix}-${i}` }, token);
}

/** Seeds a workstation's data folder: an analysed FLAIR series with a draft report. */
async function seedReport(dataDir: string): Promise<string> {
  const modelsDir = join(root, 'models');
  mkdirSync(modelsDir, { recursive: true });
  installFlairIdentityModel(modelsDir);
  const core = createCore({
    dataDir,
    auditKey: await resolveAuditKey({ dataDir, env: { ...process.env, ...env } }),
    runJobs: true,
    modelsDir,
  });
  const as = {
    transport: 'cli',
    principal: { kind: 'system', name: 'test', role: 'admin' },
  } as const;
  const ok = async <T>(method: string, input: unknown): Promise<T> => {
    const r = await core.router.call(method, input, as);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value as T;
  };
  try {
    const series = join(root, 'flair');
    writeDicomSeries(series, 3, {
      rows: 32,
      columns: 32,
      seriesDescription: 'AX FLAIR',
      modality: 'MR',
      pixel: headWithSpot,
    });
    await ok('importRoots.set', { roots: [root] });
    const job = await ok<{ id: string }>('import.files', { paths: [series] });
    await core.jobs.whenFinished(job.id);
    const scanId = (await ok<{ scanIds: string[] }>('import.report', { id: job.id })).scanIds[0];
    if (scanId === undefined) throw new Error('no scan');
    await core.analysis.analyseAndStore(scanId, {
      segmentationModel: 'flair-identity',
      classificationModel: null,
    });
    return (await ok<{ id: string }>('reports.create', { scanId })).id;
  } finally {
    await core.close();
  }
}

describe('record sync to a Neurosphere hub (two real serve processes)', () => {
  let hubDir: string;
  let aDir: string;
  let hub: Serve;
  let a: Serve;
  let aToken: string;
  let hubToken: string;
  let reportId: string;

  const saveHub = (url: string, token: string, workstation: string, hubUrl: string) =>
    call(
      url,
      'sync.hub.save',
      {
        id: 'clinic-hub',
        name: 'Clinic hub',
        url: hubUrl,
        workstation,
        username: WORKSTATION.username,
        password: WORKSTATION.password,
        caPem: null,
      },
      token,
    );

  beforeAll(async () => {
    await ensureBuilt();
    root = mkdtempSync(join(tmpdir(), 'neurosphere-hub-sync-'));
    env = {
      NEUROSPHERE_AUDIT_KEY_FILE: join(root, 'audit.key'),
      NEUROSPHERE_DESTINATION_SECRETS_FILE: join(root, 'destination-secrets.json'),
      NEUROSPHERE_ENCRYPTION: 'off',
    };
    process.env['NEUROSPHERE_DESTINATION_SECRETS_FILE'] =
      env['NEUROSPHERE_DESTINATION_SECRETS_FILE'];
    hubDir = join(root, 'hub');
    aDir = join(root, 'ws-a');
    reportId = await seedReport(aDir);
    hub = await serve(hubDir);
    hubToken = (await call<{ token: string }>(hub.url, 'auth.setup', ADMIN)).token;
    await call(hub.url, 'users.create', { ...WORKSTATION, role: 'workstation' }, hubToken);
    a = await serve(aDir);
    aToken = (await call<{ token: string }>(a.url, 'auth.setup', ADMIN)).token;
  }, 240_000);

  afterAll(async () => {
    for (const s of [a, hub]) if (s !== undefined && s.child.exitCode === null) await stop(s);
    if (process.env['HUB_KEEP'] === undefined) rmSync(root, { recursive: true, force: true });
    else console.log(root);
  });

  it('tests the connection, then sends every record and audit row once; the hub keeps their origin', async () => {
    await saveHub(a.url, aToken, 'ws-a', hub.url);
    const test = await call<{ ok: boolean; version: string; message: string }>(
      a.url,
      'sync.hub.test',
      { id: 'clinic-hub' },
      aToken,
    );
    expect(test).toMatchObject({ ok: true });
    expect(test.message).toMatch(/Signed in at .* as ws-account; Neurosphere \d/);
    await addPatients(a.url, aToken, 5, 'First');
    await untilSynced({ url: a.url, token: aToken, dir: aDir }, hubDir, 'ws-a');
    expect(atHub(hubDir, 'ws-a')).toBe(outboxCount(aDir));
    // Patient before scan before analysis before report: the hub received them in outbox order.
    const order = new Database(join(hubDir, 'neurosphere.db'), { readonly: true })
      .prepare(
        "SELECT entity FROM hub_record_versions WHERE origin = 'ws-a' AND entity IN ('patient','scan','analysis','report') ORDER BY seq",
      )
      .all()
      .map((r) => (r as { entity: string }).entity);
    expect(order.indexOf('patient')).toBeLessThan(order.indexOf('scan'));
    expect(order.indexOf('scan')).toBeLessThan(order.indexOf('analysis'));
    expect(order.indexOf('analysis')).toBeLessThan(order.indexOf('report'));
    expect(
      count(hubDir, "SELECT COUNT(*) AS n FROM hub_audit WHERE origin = 'ws-a'"),
    ).toBeGreaterThan(0);
    // A wrong role cannot send: the hub's admin token is not a workstation's, but an admin
    // holds every permission; a viewer does not.
    await call(
      hub.url,
      'users.create',
      { username: 'viewer1', password: 'viewer 5521 maple window', role: 'viewer' },
      hubToken,
    );
    const viewer = (
      await call<{ token: string }>(hub.url, 'auth.login', {
        username: 'viewer1',
        password: 'viewer 5521 maple window',
      })
    ).token;
    const refused = await fetch(`${hub.url}/api/hub/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer}` },
      body: JSON.stringify({ origin: 'x', records: [], audit: [] }),
    });
    expect(refused.status).toBe(403);
    const status = await call<{ destinations: Array<{ kind?: string; online: boolean }> }>(
      a.url,
      'sync.status',
      {},
      aToken,
    );
    expect(status.destinations).toEqual([
      expect.objectContaining({ kind: 'neurosphere', online: true }),
    ]);
  }, 120_000);

  it('keeps records while the hub is down and delivers each exactly once when it is back', async () => {
    const port = hub.port;
    await stop(hub, 'SIGKILL');
    await addPatients(a.url, aToken, 20, 'Offline');
    await call(a.url, 'sync.run', {}, aToken);
    await new Promise((r) => setTimeout(r, 1_500));
    const offline = await call<{
      destinations: Array<{
        online: boolean | null;
        lastError: string | null;
        counts: { pending: number };
      }>;
    }>(a.url, 'sync.status', {}, aToken);
    expect(offline.destinations[0]).toMatchObject({ online: false });
    expect(offline.destinations[0]?.counts.pending).toBeGreaterThanOrEqual(20);
    hub = await serve(hubDir, port);
    await untilSynced({ url: a.url, token: aToken, dir: aDir }, hubDir, 'ws-a');
    expect(atHub(hubDir, 'ws-a')).toBe(outboxCount(aDir));
    expect(count(hubDir, "SELECT COUNT(*) AS n FROM hub_records WHERE entity = 'patient'")).toBe(
      26,
    );
  }, 120_000);

  it('finishes after the workstation is killed with SIGKILL mid-sync: nothing lost, nothing twice', async () => {
    await call(a.url, 'sync.pause', {}, aToken);
    await addPatients(a.url, aToken, 60, 'Killed');
    const before = atHub(hubDir, 'ws-a');
    // About three records a second: slow enough to be killed in the middle.
    await call(a.url, 'sync.configure', { bandwidthKiBps: 1 }, aToken);
    await call(a.url, 'sync.resume', {}, aToken);
    const deadline = Date.now() + 30_000;
    while (atHub(hubDir, 'ws-a') < before + 5 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await stop(a, 'SIGKILL');
    const whenKilled = atHub(hubDir, 'ws-a');
    expect(whenKilled).toBeGreaterThan(before);
    expect(whenKilled).toBeLessThan(outboxCount(aDir));
    a = await serve(aDir);
    aToken = await login(a.url);
    await call(a.url, 'sync.configure', { bandwidthKiBps: null }, aToken);
    await untilSynced({ url: a.url, token: aToken, dir: aDir }, hubDir, 'ws-a');
    expect(atHub(hubDir, 'ws-a')).toBe(outboxCount(aDir));
    console.log(
      `kill -9: ${whenKilled - before} of ${outboxCount(aDir) - before} records at the hub when killed; after the restart all, 0 lost, 0 duplicated`,
    );
  }, 150_000);

  it('loses and duplicates nothing through a proxy that refuses and cuts connections', async () => {
    const proxy = await startFaultProxy(hub.port);
    const before = atHub(hubDir, 'ws-a');
    let sweeps = 0;
    let cutter: NodeJS.Timeout | undefined;
    try {
      await saveHub(a.url, aToken, 'ws-a', `http://127.0.0.1:${proxy.port}`);
      // Signed in through the proxy first (hashing the password takes the hub a while on a
      // loaded machine); the faults then hit batches and token refreshes.
      await addPatients(a.url, aToken, 1, 'Through the proxy');
      await untilSynced({ url: a.url, token: aToken, dir: aDir }, hubDir, 'ws-a');
      let n = 0;
      proxy.setPlan({
        refuse: () => ++n % 4 === 0,
        dropAfterBytes: () => (n % 3 === 1 ? 200 + (n % 11) * 300 : null),
      });
      // Connections also cut at any moment: after the hub stored a batch and before its answer.
      cutter = setInterval(() => {
        sweeps++;
        proxy.cutAll();
      }, 1_000);
      // How many connections a batch of records takes depends on the machine's speed: more
      // records are added until at least 10 faults have hit the sync, so the figure never
      // depends on timing.
      for (let round = 0; round < 8 && (round === 0 || proxy.faults() < 10); round++) {
        await addPatients(a.url, aToken, round === 0 ? 150 : 50, `Faulty${round}`);
        await untilSynced({ url: a.url, token: aToken, dir: aDir }, hubDir, 'ws-a', 150);
      }
    } finally {
      clearInterval(cutter);
      await proxy.close();
      await saveHub(a.url, aToken, 'ws-a', hub.url);
    }
    expect(atHub(hubDir, 'ws-a')).toBe(outboxCount(aDir));
    expect(proxy.faults()).toBeGreaterThanOrEqual(10);
    console.log(
      `fault proxy: ${proxy.faults()} faults injected (${proxy.counts.refused} refused, ${proxy.counts.dropped} cut mid-transfer) over ${proxy.counts.connections} connections, plus ${sweeps} sweeps cutting every open connection; ${atHub(hubDir, 'ws-a') - before} new records at the hub, ${outboxCount(aDir)} in all = the workstation's outbox: 0 lost, 0 duplicated`,
    );
  }, 600_000);

  it('a report changed on two workstations: conflict, both versions kept, the signed one shown', async () => {
    // Workstation B starts as a copy of A's data folder (a laptop restored from A's backup).
    await stop(a);
    const bDir = join(root, 'ws-b');
    cpSync(aDir, bDir, { recursive: true });
    a = await serve(aDir);
    const b = await serve(bDir);
    try {
      aToken = await login(a.url);
      const bToken = await login(b.url);
      await saveHub(b.url, bToken, 'ws-b', hub.url);
      // A edits the draft later than B signs it.
      await call(b.url, 'reports.update', { id: reportId, impression: 'Signed on B.' }, bToken);
      await call(b.url, 'reports.sign', { id: reportId }, bToken);
      await new Promise((r) => setTimeout(r, 50));
      await call(a.url, 'reports.update', { id: reportId, impression: 'Edited on A.' }, aToken);
      await untilSynced({ url: a.url, token: aToken, dir: aDir }, hubDir, 'ws-a');
      // B's signed version at the hub (B's own outbox also holds A's history, sent as ws-a).
      const signedFromB = (): number =>
        count(
          hubDir,
          "SELECT COUNT(*) AS n FROM hub_record_versions WHERE record_id = ? AND origin = 'ws-b' AND json_extract(payload, '$.status') = 'final'",
          reportId,
        );
      const deadline = Date.now() + 90_000;
      while (signedFromB() === 0) {
        if (Date.now() > deadline)
          throw new Error(
            `B's signed report never reached the hub: ${JSON.stringify(await call(b.url, 'sync.status', {}, bToken))}`,
          );
        await call(b.url, 'sync.run', {}, bToken);
        await new Promise((r) => setTimeout(r, 500));
      }
      const [view] = await call<
        Array<{
          conflict: boolean;
          current: { origin: string; payload: { status: string; impression: string } };
          versions: Array<{ origin: string; outcome: string }>;
        }>
      >(hub.url, 'sync.hub.records', { recordId: reportId }, hubToken);
      expect(view?.conflict).toBe(true);
      expect(view?.current.origin).toBe('ws-b');
      expect(view?.current.payload).toMatchObject({ status: 'final', impression: 'Signed on B.' });
      expect(view?.versions.map((v) => v.origin)).toContain('ws-a');
      expect(view?.versions.some((v) => v.outcome === 'conflict')).toBe(true);
      // The workstation whose version lost is told so on its sync page.
      const items = await call<Array<{ kind: string; lastError: string | null }>>(
        a.url,
        'sync.items',
        { state: 'sent', limit: 500 },
        aToken,
      );
      const conflicted = [
        ...items,
        ...(await call<Array<{ kind: string; lastError: string | null }>>(
          b.url,
          'sync.items',
          { state: 'sent', limit: 500 },
          bToken,
        )),
      ].filter((i) => i.lastError?.startsWith('Conflict at the hub') === true);
      expect(conflicted.length).toBeGreaterThan(0);
    } finally {
      await stop(b);
    }
  }, 180_000);
});
