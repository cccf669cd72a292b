import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hubUrlProblem } from '../../../src-shared/contract/hub-url.js';
import type { HubDestination } from '../../../src-shared/contract/sync.js';
import { makeTestCertificates, startHttpGateway } from '../../test-support/http-gateway.js';
import { createHubClient, HubError } from './hub-client.js';
import { describeHubTestFailure } from './hub-test-message.js';

function hubAt(url: string): HubDestination {
  return { id: 'hub', name: 'Hub', url, workstation: 'ws-a', username: 'ws-a', caPem: null };
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('hub address rule', () => {
  it('accepts https anywhere and http only on loopback, saying why', () => {
    expect(hubUrlProblem('https://hub.clinic.local:8443')).toBeNull();
    expect(hubUrlProblem('http://127.0.0.1:8116')).toBeNull();
    expect(hubUrlProblem('http://localhost:8080/')).toBeNull();
    expect(hubUrlProblem('http://[::1]:9000')).toBeNull();
    expect(hubUrlProblem('http://hub.clinic.local:8080')).toMatch(/Use https:\/\/.*password/);
    expect(hubUrlProblem('http://127.evil.example')).toMatch(/Use https/);
    expect(hubUrlProblem('ftp://hub')).toBe('Use an https:// address.');
    expect(hubUrlProblem('hub.clinic.local')).toMatch(/Enter the hub address/);
  });
});

describe('test connection in words', () => {
  it('says unreachable when nothing answers at the address', async () => {
    const hub = hubAt(`http://127.0.0.1:${await closedPort()}`);
    const client = createHubClient(hub, () => Promise.resolve('secret'), 2_000);
    const error = await client.test().then(
      () => null,
      (e: unknown) => e,
    );
    expect(describeHubTestFailure(hub, error)).toMatch(/^Unreachable: nothing answered at http/);
  });

  it('says wrong password on a 401 and missing right on a 403', () => {
    const hub = hubAt('https://hub.example');
    const refused = new HubError('Hub answered 401 to signing in as ws-a: bad', true, {
      status: 401,
    });
    expect(describeHubTestFailure(hub, refused)).toMatch(/^Wrong user name or password/);
    const forbidden = new HubError('Hub answered 403', true, { status: 403 });
    expect(describeHubTestFailure(hub, forbidden)).toMatch(/role "workstation"/);
  });

  it('says TLS for a real https hub whose certificate does not chain to the pinned CA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurosphere-hub-tls-'));
    const hospital = makeTestCertificates(dir, 'hospital');
    const other = makeTestCertificates(dir, 'other');
    const gateway = await startHttpGateway({
      upstream: `http://127.0.0.1:${await closedPort()}`,
      tls: { key: hospital.key, cert: hospital.cert },
    });
    try {
      for (const [caPem, words] of [
        [other.caPem, /^TLS: The certificate of https:.* does not chain to the pinned CA/],
        [null, /^TLS: The certificate of https:.* is not trusted by this system/],
      ] as const) {
        const hub = { ...hubAt(gateway.url), caPem };
        const error = await createHubClient(hub, () => Promise.resolve('secret'), 5_000)
          .test()
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(describeHubTestFailure(hub, error)).toMatch(words);
      }
    } finally {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says TLS when the certificate is not trusted', () => {
    const hub = hubAt('https://hub.example');
    const untrusted = Object.assign(new Error('self-signed certificate'), {
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    const error = new HubError('Hub: self-signed certificate', true, {
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      error: untrusted,
    });
    expect(describeHubTestFailure(hub, error)).toMatch(
      /^TLS: The certificate of https:\/\/hub.example is not trusted/,
    );
  });
});
