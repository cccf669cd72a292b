#!/usr/bin/env node
// Viewer benchmark: the reading-room speed targets, measured in Debian's Chromium against serve
// mode on a fresh data dir.
//   first image — from the scan's route (#/scans/<id>) in the running app until the viewport has
//                 drawn (data-state="ready", data-render-count ≥ 1); every open starts from a
//                 reloaded page, so cornerstone's image cache is empty (median and worst of N);
//                 also from loading the app at the scan's address (page load, login check,
//                 scan, frame) until the same signal.
//   scrolling   — slices displayed per second while stepping through the series with ArrowDown
//                 as fast as the viewer draws: the next keydown is sent as soon as the previous
//                 slice was drawn (a held key repeats at ~30/s, which would hide the viewer's
//                 limit). Cold: the frames come from the server; warm: the same frames again,
//                 from cornerstone's cache.
// Series: 200 slices of 512×512 16-bit MR (DICOM, explicit little endian) and a 240×240×155
// int16 NIfTI (.nii.gz, BraTS-sized). Exit status is non-zero only on errors, not on a missed goal.
// Usage: npm run bench:viewer [-- --opens 10 --steps 150 --port N --no-nifti --headed --keep]
/* global window, document, requestAnimationFrame, KeyboardEvent -- in page.evaluate callbacks, which run in Chromium */
import './bench-audit-key.mjs';
import { freePort, startServe } from './bench-serve.mjs';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

const root = new URL('..', import.meta.url).pathname;
const dist = (path) => join(root, 'dist', 'src-main', path);
const { makeDicom } = await import(dist('test-support/dicom-fixtures.js'));
const { makeNifti } = await import(dist('test-support/volume-fixtures.js'));

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(args[at + 1]) || fallback;
};
const opens = option('opens', 10);
const steps = option('steps', 150);
const port = option('port', 0) || (await freePort());
const withNifti = !args.includes('--no-nifti');
const FIRST_IMAGE_GOAL_MS = 500;
const SCROLL_GOAL_FPS = 30;
const ADMIN = { username: 'bench', password: 'quiet harbour lantern 7' };

const work = mkdtempSync(join(tmpdir(), 'ns-bench-viewer-'));
const dataDir = join(work, 'data');
const cli = (command, input) =>
  execFileSync(
    process.execPath,
    [join(root, 'bin/neurosphere.js'), ...command, '--data-dir', dataDir],
    {
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );

/** A head-like MR slice: an elliptical brain with a brighter rim and a lesion, plus noise. */
function headPixel(slice, count, size) {
  const z = (slice - count / 2) / (count / 2);
  const scale = Math.sqrt(Math.max(0, 1 - z * z));
  return (row, column) => {
    const y = (row - size / 2) / (size * 0.42 * scale + 1);
    const x = (column - size / 2) / (size * 0.36 * scale + 1);
    const r = Math.hypot(x, y);
    const noise = ((row * 73 + column * 151 + slice * 31) % 97) - 48;
    if (r > 1) return Math.max(0, 20 + (noise >> 2));
    const lesion = Math.hypot(x - 0.3, y + 0.2) < 0.18 ? 900 : 0;
    return Math.min(
      4095,
      (r > 0.9 ? 1600 : 700 + Math.round(300 * Math.cos(r * 9))) + lesion + noise,
    );
  };
}

function generate() {
  const series = join(work, 'dicom', 'AX_FLAIR');
  mkdirSync(series, { recursive: true });
  const count = 200;
  const size = 512;
  const seriesInstanceUid = '1.2.826.0.1.3680043.8.498.77.1.1';
  for (let i = 0; i < count; i++)
    writeFileSync(
      join(series, `IM${String(i + 1).padStart(4, '0')}.dcm`),
      makeDicom({
        studyInstanceUid: '1.2.826.0.1.3680043.8.498.77.1',
        seriesInstanceUid,
        sopInstanceUid: `${seriesInstanceUid}.${i + 1}`,
        patientName: 'Bench^Viewer',
        patientId: 'BENCH-VIEWER',
        seriesDescription: 'AX FLAIR 512',
        rows: size,
        columns: size,
        pixelSpacing: [0.45, 0.45],
        sliceThickness: 1,
        imagePosition: [0, 0, i],
        instanceNumber: i + 1,
        pixel: headPixel(i, count, size),
      }),
    );
  const paths = [series];
  if (withNifti) {
    const nifti = join(work, 'nifti');
    mkdirSync(nifti);
    const [nx, ny, nz] = [240, 240, 155];
    writeFileSync(
      join(nifti, 'brats-like_flair.nii.gz'),
      makeNifti({
        dims: [nx, ny, nz],
        datatype: 'int16',
        gzip: true,
        voxel: (i, j, k) => {
          const z = (k - nz / 2) / (nz / 2);
          const s = Math.sqrt(Math.max(0, 1 - z * z));
          const r = Math.hypot(
            (i - nx / 2) / (nx * 0.4 * s + 1),
            (j - ny / 2) / (ny * 0.45 * s + 1),
          );
          return r > 1 ? 0 : 300 + Math.round(200 * Math.cos(r * 8)) + ((i * 7 + j * 13 + k) % 23);
        },
      }),
    );
    paths.push(nifti);
  }
  return paths;
}

/**
 * Installed in every page before its own scripts (an init script, so the app's CSP does not
 * apply): `__nsBench.waitForDraw(start, minRenders, index, timeoutMs)` runs `start()` and resolves
 * with the milliseconds until the viewport reports a drawn frame (data-state="ready", render
 * count ≥ minRenders, and data-index = index unless null); attribute changes are observed, so the
 * time is that of React's commit. It also marks `ns-first-draw` when a page first shows a frame.
 */
const BENCH_INIT = `(() => {
  const isDrawn = (minRenders, index) => {
    const el = document.querySelector('[data-testid=viewport]');
    return el !== null && el.dataset.state === 'ready' &&
      Number(el.dataset.renderCount) >= minRenders &&
      (index === null || Number(el.dataset.index) === index);
  };
  const observe = (observer) => observer.observe(document.body, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ['data-state', 'data-render-count', 'data-index'],
  });
  window.__nsBench = {
    waitForDraw: (start, minRenders, index, timeoutMs) => new Promise((resolve, reject) => {
      const t0 = performance.now();
      const observer = new MutationObserver(() => {
        if (!isDrawn(minRenders, index)) return;
        observer.disconnect();
        clearTimeout(timer);
        resolve(performance.now() - t0);
      });
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error('the viewport did not draw within ' + timeoutMs + ' ms'));
      }, timeoutMs);
      observe(observer);
      start();
    }),
  };
  const first = new MutationObserver(() => {
    if (!isDrawn(1, null)) return;
    performance.mark('ns-first-draw');
    first.disconnect();
  });
  document.addEventListener('DOMContentLoaded', () => observe(first));
})()`;

/**
 * Opens the scan from the running app (a route change, as a click in the worklist does) in a
 * freshly reloaded page, once the worklist has settled (what a user sees before choosing a scan).
 */
async function timeRouteOpen(page, scanId) {
  await page.goto('/#/worklist');
  await page.reload();
  await page.getByTestId('app-header').waitFor();
  await page.waitForLoadState('networkidle');
  return page.evaluate(
    (hash) => window.__nsBench.waitForDraw(() => (window.location.hash = hash), 1, null, 30_000),
    `#/scans/${scanId}`,
  );
}

/** Loads the app at the scan's address: page load, session check, scan and frame. */
async function timeColdLoad(page, scanId) {
  await page.goto('about:blank');
  await page.goto(`/#/scans/${scanId}`, { waitUntil: 'commit' });
  await page.getByTestId('viewport').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid=viewport]');
    return (
      el?.getAttribute('data-state') === 'ready' &&
      Number(el.getAttribute('data-render-count')) >= 1
    );
  });
  // Navigation start (time origin) to the first drawn frame, measured by the page's own clock.
  return page.evaluate(() => {
    const mark = performance.getEntriesByName('ns-first-draw')[0];
    return mark === undefined ? null : mark.startTime;
  });
}

/**
 * Steps `count` slices down from slice 0, sending the next ArrowDown as soon as the previous
 * slice was drawn. Answers slices per second and the slowest step.
 */
async function timeScroll(page, count) {
  const viewport = page.getByTestId('viewport');
  await page.getByTestId('slice-slider').fill('0');
  await page.waitForFunction(
    () => {
      const el = document.querySelector('[data-testid=viewport]');
      return el?.getAttribute('data-index') === '0' && el.getAttribute('data-state') === 'ready';
    },
    undefined,
    { timeout: 30_000 },
  );
  // Let the frame at slice 0 be drawn before the clock starts.
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  await viewport.focus();
  return page.evaluate((total) => {
    const wait = window.__nsBench.waitForDraw;
    const el = document.querySelector('[data-testid=viewport]');
    const press = () =>
      el.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, cancelable: true }),
      );
    return (async () => {
      const t0 = performance.now();
      let slowest = 0;
      for (let i = 1; i <= total; i++) {
        const renders = Number(el.dataset.renderCount);
        slowest = Math.max(slowest, await wait(press, renders + 1, i, 10_000));
      }
      const seconds = (performance.now() - t0) / 1000;
      return { fps: total / seconds, slowestMs: slowest, seconds };
    })();
  }, count);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (n) => `${Math.round(n)} ms`;
const verdict = (isMet) => (isMet ? 'MET' : 'NOT MET');

let serve;
let browser;
let failed = false;
try {
  console.log(`Generating the series in ${work} …`);
  const inputs = generate();
  cli(
    ['users', 'add', '--username', ADMIN.username, '--role', 'admin', '--password-stdin'],
    `${ADMIN.password}\n`,
  );
  console.log('Importing with the CLI …');
  cli(['import', ...inputs]);
  const scans = JSON.parse(cli(['scans', 'list', '--json', '--limit', '50'])).items;
  const scanOf = (format) => scans.find((scan) => scan.format === format);
  const targets = [
    { label: 'DICOM 200 × 512×512 16-bit', scan: scanOf('dicom'), frames: 200 },
    ...(withNifti
      ? [{ label: 'NIfTI 240×240×155 int16', scan: scanOf('nifti'), frames: 155 }]
      : []),
  ];
  for (const target of targets)
    if (target.scan === undefined)
      throw new Error(`the import did not produce a scan for ${target.label}`);

  serve = await startServe({ root, dataDir, port });
  const { baseURL } = serve;

  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: !args.includes('--headed'),
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 768 } });
  await context.addInitScript({ content: BENCH_INIT });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByTestId('login-username').fill(ADMIN.username);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-header').waitFor();

  const rows = [];
  for (const { label, scan, frames } of targets) {
    console.log(`Measuring ${label} …`);
    await timeRouteOpen(page, scan.id); // the first open warms the server's page cache and JIT
    const routeOpens = [];
    for (let i = 0; i < opens; i++) routeOpens.push(await timeRouteOpen(page, scan.id));
    const loads = [];
    for (let i = 0; i < Math.min(opens, 5); i++) loads.push(await timeColdLoad(page, scan.id));
    const scrollSteps = Math.min(steps, frames - 1);
    const cold = await timeScroll(page, scrollSteps);
    const warm = await timeScroll(page, scrollSteps);
    const worst = Math.max(...routeOpens);
    rows.push(
      [
        `${label}: first image, median of ${opens} opens`,
        ms(median(routeOpens)),
        `≤ ${FIRST_IMAGE_GOAL_MS} ms`,
        median(routeOpens) <= FIRST_IMAGE_GOAL_MS,
      ],
      [
        `${label}: first image, worst open`,
        ms(worst),
        `≤ ${FIRST_IMAGE_GOAL_MS} ms`,
        worst <= FIRST_IMAGE_GOAL_MS,
      ],
      [
        `${label}: app loaded at the scan's address, median of ${loads.length}`,
        loads.includes(null) ? 'n/a' : ms(median(loads)),
        'reported',
        null,
      ],
      [
        `${label}: scrolling ${scrollSteps} slices, cold (from the server)`,
        `${cold.fps.toFixed(1)} slices/s (slowest ${ms(cold.slowestMs)})`,
        `≥ ${SCROLL_GOAL_FPS}/s`,
        cold.fps >= SCROLL_GOAL_FPS,
      ],
      [
        `${label}: scrolling ${scrollSteps} slices, warm (cached)`,
        `${warm.fps.toFixed(1)} slices/s (slowest ${ms(warm.slowestMs)})`,
        `≥ ${SCROLL_GOAL_FPS}/s`,
        warm.fps >= SCROLL_GOAL_FPS,
      ],
    );
  }

  const version = browser.version();
  console.log('');
  console.log(
    `Chromium ${version} (headless: ${!args.includes('--headed')}), ${cpus().length} cores, serve on loopback, load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
  );
  const widths = [0, 1, 2].map((c) =>
    Math.max(...rows.map((row) => String(row[c]).length), ['measure', 'result', 'goal'][c].length),
  );
  const line = (cells) =>
    `| ${cells.map((cell, c) => String(cell).padEnd(widths[c])).join(' | ')} |`;
  console.log(line(['measure', 'result', 'goal']) + ' status  |');
  console.log(line(widths.map((w) => '-'.repeat(w))) + ' ------- |');
  for (const [measure, result, goal, isMet] of rows)
    console.log(
      line([measure, result, goal]) + ` ${(isMet === null ? '' : verdict(isMet)).padEnd(7)} |`,
    );
} catch (error) {
  failed = true;
  console.error(`bench:viewer failed: ${error instanceof Error ? error.stack : String(error)}`);
  if (serve !== undefined && serve.log() !== '') console.error(`serve said:\n${serve.log()}`);
} finally {
  await browser?.close();
  serve?.child.kill('SIGTERM');
  if (serve !== undefined && serve.child.exitCode === null)
    await new Promise((resolve) => serve.child.once('exit', resolve));
  if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
process.exit(failed ? 1 : 0);
