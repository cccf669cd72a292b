import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  request,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** What the gateway does to a request: pass it, answer 503 without passing, or pass then 503. */
export type GatewayFault = 'none' | 'fail-before' | 'fail-after';

export interface HttpGateway {
  readonly url: string;
  readonly counts: {
    requests: number;
    failedBefore: number;
    failedAfter: number;
    refusedAuth: number;
  };
  setFault(next: () => GatewayFault): void;
  close(): Promise<void>;
}

/**
 * An HTTP(S) reverse proxy the tests put in front of Orthanc's DICOMweb: it may require a
 * bearer token (Orthanc's own authentication is off in tests), answer 5xx before passing a
 * request on, or after Orthanc stored it (the answer lost: the sender must resend the same UIDs),
 * and serve TLS with a test certificate.
 */
export async function startHttpGateway(options: {
  upstream: string;
  bearer?: string;
  tls?: { key: string; cert: string };
}): Promise<HttpGateway> {
  const counts = { requests: 0, failedBefore: 0, failedAfter: 0, refusedAuth: 0 };
  let fault: () => GatewayFault = () => 'none';
  const upstream = new URL(options.upstream);

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    counts.requests++;
    if (options.bearer !== undefined && req.headers.authorization !== `Bearer ${options.bearer}`) {
      counts.refusedAuth++;
      req.resume();
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end('token required');
      return;
    }
    const what = fault();
    if (what === 'fail-before') {
      counts.failedBefore++;
      req.resume();
      req.on('end', () => res.writeHead(503).end('gateway: upstream unavailable'));
      return;
    }
    const headers = { ...req.headers, host: upstream.host };
    delete headers.authorization;
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers },
      (answer) => {
        if (what === 'fail-after') {
          counts.failedAfter++;
          answer.resume();
          answer.on('end', () => res.writeHead(502).end('gateway: answer lost'));
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  };

  const server =
    options.tls === undefined ? createHttpServer(handle) : createHttpsServer(options.tls, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    counts,
    setFault(next) {
      fault = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A test CA and a server certificate it signed for 127.0.0.1 (openssl, EC P-256). */
export function makeTestCertificates(
  dir: string,
  name: string,
): { caPem: string; key: string; cert: string } {
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    `${name}-ca.key`,
    '-out',
    `${name}-ca.pem`,
    '-days',
    '2',
    '-subj',
    `/CN=${name} test CA`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  run([
    'req',
    ...ec,
    '-keyout',
    `${name}-server.key`,
    '-out',
    `${name}-server.csr`,
    '-subj',
    '/CN=127.0.0.1',
  ]);
  writeFileSync(
    join(dir, `${name}-ext.cnf`),
    'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n',
  );
  run([
    'x509',
    '-req',
    '-in',
    `${name}-server.csr`,
    '-CA',
    `${name}-ca.pem`,
    '-CAkey',
    `${name}-ca.key`,
    '-CAcreateserial',
    '-out',
    `${name}-server.pem`,
    '-days',
    '2',
    '-extfile',
    `${name}-ext.cnf`,
  ]);
  const read = (file: string): string => readFileSync(join(dir, file), 'utf8');
  return {
    caPem: read(`${name}-ca.pem`),
    key: read(`${name}-server.key`),
    cert: read(`${name}-server.pem`),
  };
}
