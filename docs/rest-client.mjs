#!/usr/bin/env node
// Example client of Neurosphere's REST API (docs/rest-api.md), with no dependencies (Node 22+:
// fetch, FormData and WebSocket are built in). It logs in for access + refresh tokens, uploads a
// scan, follows the analysis's progress over the event WebSocket, and downloads the result: the
// seed's processing result as JSON and the analysis export (mask, heatmap, overlay) as a ZIP.
//
//   NEUROSPHERE_PASSWORD=… node docs/rest-client.mjs --url http://127.0.0.1:7878 \
//       --user admin --file slice.png [--model lgg-flair-unet] [--out results]
//
// For a server with a self-signed certificate, run with NODE_EXTRA_CA_CERTS=cert.pem.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:7878' },
    user: { type: 'string', default: 'admin' },
    file: { type: 'string' },
    model: { type: 'string' },
    out: { type: 'string', default: 'neurosphere-results' },
  },
});
const password = process.env.NEUROSPHERE_PASSWORD;
if (values.file === undefined || password === undefined) {
  console.error('Give --file and the password in NEUROSPHERE_PASSWORD.');
  process.exit(2);
}
const base = values.url.replace(/\/$/, '');

/** A JSON call; fails with the server's own error message. */
async function call(path, init = {}) {
  const response = await fetch(`${base}${path}`, init);
  const body = await response.json();
  if (!response.ok) {
    const message = body.message ?? body.error?.message ?? body.error ?? JSON.stringify(body);
    throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${message}`);
  }
  return body;
}

// 1. Tokens (the doctor/patient seed's login): an access token and a refresh token.
const login = await call('/api/auth/login', {
  method: 'POST',
  body: new URLSearchParams({ email: values.user, password }),
});
let accessToken = login.data.access_token;
const refreshToken = login.data.refresh_token;
const auth = () => ({ Authorization: `Bearer ${accessToken}` });

// 2. Upload (the Medical Imaging AI seed's /api/v1/upload): the answer names the analysis job.
const form = new FormData();
form.append('file', new Blob([readFileSync(values.file)]), basename(values.file));
if (values.model !== undefined) form.append('model_id', values.model);
const upload = await call('/api/v1/upload', { method: 'POST', headers: auth(), body: form });
const jobId = upload.job_id;
console.log(`Uploaded ${values.file}: job ${jobId} (${upload.status})`);

// 3. Progress over the event WebSocket: authenticate with the first message, then watch the job.
const finalJob = await new Promise((resolve, reject) => {
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/api/events`);
  const ended = new Set(['completed', 'failed', 'cancelled']);
  socket.addEventListener('open', async () => {
    socket.send(JSON.stringify({ type: 'auth', token: accessToken }));
    // The job may have ended before the socket opened: ask once.
    const job = await call(`/api/v1/upload/jobs/${jobId}`, { headers: auth() });
    if (ended.has(job.status)) {
      socket.close();
      resolve(job);
    }
  });
  socket.addEventListener('message', (event) => {
    const { event: name, payload } = JSON.parse(String(event.data));
    if (name !== 'jobs.updated' || payload.job.id !== jobId) return;
    const { job } = payload;
    const eta = job.etaSeconds === null ? '' : `, about ${Math.round(job.etaSeconds)} s left`;
    console.log(`  ${job.status} ${Math.round(job.progress * 100)}% ${job.stage ?? ''}${eta}`);
    if (ended.has(job.status)) {
      socket.close();
      resolve({ job_id: job.id, status: job.status, error_message: job.error?.message ?? null });
    }
  });
  socket.addEventListener('error', () => reject(new Error('The event socket failed.')));
  socket.addEventListener('close', (event) => {
    if (event.code === 4401)
      reject(new Error(`The event socket refused the token: ${event.reason}`));
  });
});
if (finalJob.status !== 'completed') {
  console.error(`The analysis ${finalJob.status}: ${finalJob.error_message}`);
  process.exit(1);
}

// An access token ends after the idle timeout; the refresh token mints a new one.
const refreshed = await call('/api/auth/refresh-token', {
  method: 'POST',
  headers: { Authorization: `Bearer ${refreshToken}` },
});
accessToken = refreshed.data.access_token;

// 4. Results: the seed's processing result, and the analysis export as a ZIP.
mkdirSync(values.out, { recursive: true });
const result = await call(`/api/v1/results/${jobId}`, { headers: auth() });
writeFileSync(join(values.out, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
const zip = await fetch(`${base}/api/stream/analysis.export?scanId=${result.scan_id}`, {
  headers: auth(),
});
if (!zip.ok) throw new Error(`The export failed: ${zip.status} ${await zip.text()}`);
writeFileSync(join(values.out, 'analysis.zip'), Buffer.from(await zip.arrayBuffer()));
console.log(
  `Done: ${result.summary.total_detections} detection(s) by ${result.model_used} in ${result.processing_time_seconds} s; ` +
    `wrote ${join(values.out, 'result.json')} and ${join(values.out, 'analysis.zip')}.`,
);
