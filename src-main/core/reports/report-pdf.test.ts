import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { brainTumourFindings } from '../../../src-shared/contract/analysis.js';
import { writeDicomSeries, headWithSpot } from '../../test-support/dicom-fixtures.js';
import { makePng } from '../../test-support/image-fixtures.js';
import { installFlairIdentityModel } from '../../test-support/model-fixtures.js';
import {
  addUser,
  analyseScan,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { renderPdf } from './pdf-engine.js';
import { REPORT_DISCLAIMER } from './pdf-document.js';
import { renderReportPdf } from './report-pdf.js';

/** How the report prints a volume: two decimals from 1 mL, two significant digits below. */
const millilitres = (mm3: number): string =>
  `${mm3 >= 1000 ? (mm3 / 1000).toFixed(2) : (mm3 / 1000).toPrecision(2)} mL`;

const NAME = 'Zoë Ångström-Łukasiewicz';

/** The PDF's text as poppler reads it (layout off: one text run per line). */
function pdfText(pdf: Uint8Array, dir: string): string {
  const path = join(dir, `read-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(path, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
}

/** Page `page` rendered by poppler as 8-bit grey: how many pixels are not white. */
function inkedPixels(pdf: Uint8Array, dir: string, page: number): { inked: number; total: number } {
  const path = join(dir, `page-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(path, pdf);
  const pgm = execFileSync('pdftoppm', [
    '-gray',
    '-r',
    '40',
    '-f',
    String(page),
    '-l',
    String(page),
    path,
  ]);
  // Binary PGM: "P5\n<w> <h>\n255\n" then the pixels.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'));
  if (header === null) throw new Error('pdftoppm did not write a PGM');
  const [w, h] = [Number(header[1]), Number(header[2])];
  const pixels = pgm.subarray(pgm.length - w * h);
  let inked = 0;
  for (const value of pixels) if (value < 200) inked++;
  return { inked, total: w * h };
}

function pageCount(pdf: Uint8Array, dir: string): number {
  const path = join(dir, `info-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(path, pdf);
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
}

describe('report PDF: rendered with pdfmake, read back with poppler', () => {
  let t: TestCore;
  let admin: string;
  let radiologist: string;
  let scanId: string;

  beforeEach(async () => {
    t = startTestCore();
    admin = await setupAdmin(t);
    radiologist = (await addUser(t, admin, 'rad', 'radiologist')).token;
    installFlairIdentityModel(join(t.root, 'models'));
    scanId = await importScan(
      t,
      admin,
      writeDicomSeries(join(t.inputDir, 'flair'), 4, {
        rows: 64,
        columns: 64,
        patientId: 'MRN-42',
        seriesDescription: 'AX FLAIR',
        extraAttributes: { BodyPartExamined: 'BRAIN' },
        pixel: headWithSpot,
      }),
    );
    const patientId = (await t.ok('scans.get', { id: scanId }, admin)).scan.patientId as string;
    await t.ok('patients.update', { id: patientId, name: NAME }, admin);
  });
  afterEach(() => t.dispose());

  async function pdfOf(reportId: string): Promise<{ bytes: Uint8Array; fileName: string }> {
    const answer = await t.core.router.stream(
      'reports.pdf',
      { reportId },
      { transport: 'test', token: radiologist },
    );
    if (!answer.ok) throw new Error(answer.error.message);
    const description = answer.value.description as { fileName: string };
    return { bytes: answer.value.data as Uint8Array, fileName: description.fileName };
  }

  it('prints the non-ASCII name, letterhead, lesion figures, provenance, signature and disclaimer', async () => {
    const analysis = await analyseScan(t, admin, scanId);
    await t.ok(
      'clinic.update',
      {
        name: 'Klinika Świętokrzyska',
        address: 'ul. Żeromskiego 5, Kielce',
        logoBase64: makePng(40, 20).toString('base64'),
      },
      admin,
    );
    const draft = await t.ok('reports.create', { scanId }, radiologist);
    await t.ok(
      'reports.update',
      { id: draft.id, impression: 'Solitary right frontal lesion; follow-up MRI in 3 months.' },
      radiologist,
    );

    const draftPdf = await pdfOf(draft.id);
    expect(Buffer.from(draftPdf.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(draftPdf.fileName).toBe('Zoe_Angstrom_Lukasiewicz_report_v1_DRAFT.pdf');
    const draftText = pdfText(draftPdf.bytes, t.root);
    expect(draftText).toContain('DRAFT, not signed');

    await t.ok('reports.sign', { id: draft.id }, radiologist);
    const signed = await pdfOf(draft.id);
    const text = pdfText(signed.bytes, t.root);
    const flat = text.replace(/\s+/g, ' ');
    expect(text).toContain(NAME);
    expect(text).toContain('Klinika Świętokrzyska');
    expect(text).toContain('ul. Żeromskiego 5, Kielce');
    expect(text).toContain('MRN-42');
    expect(text).not.toContain('DRAFT');
    expect(flat).toContain('Signed by rad on');
    expect(text).toContain('Solitary right frontal lesion; follow-up MRI in 3 months.');
    // Every lesion's figures, as the analysis measured them.
    const lesions = brainTumourFindings(analysis)?.detections ?? [];
    expect(lesions.length).toBeGreaterThan(0);
    for (const lesion of lesions) {
      if (lesion.metrics.kind !== 'volume') throw new Error('expected volume metrics');
      expect(text).toContain(millilitres(lesion.metrics.volume_mm3));
      expect(text).toContain(`${lesion.metrics.diameter_mm.toFixed(1)} mm`);
      expect(text).toContain(lesion.metrics.sphericity.toFixed(2));
      expect(text).toContain(lesion.location.description);
      expect(text).toContain(lesion.size);
    }
    // Model provenance: id, version, the file's sha256, the provider; and the timings.
    const manifest = JSON.parse(
      readFileSync(join(t.root, 'models', 'flair-identity', 'manifest.json'), 'utf8'),
    ) as { version: string; sha256: string };
    expect(text).toContain('flair-identity');
    expect(text).toContain(manifest.version);
    expect(text).toContain(manifest.sha256);
    expect(flat).toContain(`Execution provider: ${analysis.provider ?? ''}`);
    expect(flat).toContain(`total ${analysis.timings.totalMs.toFixed(0)} ms`);
    for (const issue of analysis.imageQuality?.issues ?? []) expect(text).toContain(issue);
    expect(flat).toContain(REPORT_DISCLAIMER);

    // Page 1 is not blank.
    const page1 = inkedPixels(signed.bytes, t.root, 1);
    expect(page1.inked / page1.total).toBeGreaterThan(0.01);

    // Audited as an export of that version.
    const exported = t.core.audit.list(50).find((e) => e.action === 'reports.export');
    expect(exported).toMatchObject({ actor: 'rad', target: draft.id });
  });

  it('shows the figures it is given (key images, diameters, growth, measurements) and only those', async () => {
    await analyseScan(t, admin, scanId);
    const report = await t.ok('reports.create', { scanId }, radiologist);
    const data = await t.core.reportContent.collect(report);
    const bare = pdfText(await renderReportPdf({ ...data, figures: {} }), t.root);
    expect(bare).not.toContain('Key images');
    expect(bare).not.toContain('Growth over time');
    expect(bare).not.toContain('Measurements saved in the viewer');
    expect(bare).not.toContain('Perpendicular');

    const lesion = brainTumourFindings(data.analysis)?.detections[0];
    if (lesion === undefined) throw new Error('expected a lesion');
    // A black square with a white frame: a key image page cannot be blank.
    const keyImage = makePng(128, 128, (x, y) => (x < 8 || y < 8 || x > 119 || y > 119 ? 255 : 0));
    const pdf = await renderReportPdf({
      ...data,
      figures: {
        keyImages: [
          { caption: 'Axial slice 3: lesion 1 outlined', png: keyImage },
          { caption: 'Coronal through lesion 1', png: keyImage },
          { caption: 'Sagittal through lesion 1', png: keyImage },
        ],
        diameters: [
          {
            detectionId: lesion.detectionId,
            longestInPlaneMm: 12.5,
            perpendicularInPlaneMm: 8,
            plane: 'axial slice 3',
          },
        ],
        growth: {
          rows: [
            {
              date: '2023-12-01',
              lesion: 'Lesion 1',
              volumeMl: 0.18,
              maxDiameterMm: 17.2,
              changePercent: null,
              changePercentPerMonth: null,
            },
            {
              date: '2024-03-01',
              lesion: 'Lesion 1',
              volumeMl: 0.23,
              maxDiameterMm: 19.5,
              changePercent: 27.8,
              changePercentPerMonth: 9.2,
            },
          ],
          plotSvg:
            '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80"><polyline points="10,70 190,20" stroke="black" fill="none"/></svg>',
        },
        measurements: [{ label: 'Length (axial 3)', value: '23.4 mm', slice: 2 }],
      },
    });
    const text = pdfText(pdf, t.root);
    const flat = text.replace(/\s+/g, ' ');
    expect(text).toContain('Key images');
    expect(text).toContain('Sagittal through lesion 1');
    expect(flat).toContain('12.5 × 8.0 mm = 100 mm²');
    expect(text).toContain('Growth over time');
    expect(text).toContain('+27.8 %');
    expect(text).toContain('+9.2 %');
    expect(text).toContain('Length (axial 3)');
    expect(text).toContain('23.4 mm');
    for (let page = 1; page <= pageCount(pdf, t.root); page++) {
      const { inked, total } = inkedPixels(pdf, t.root, page);
      expect(inked / total, `page ${page}`).toBeGreaterThan(0.005);
    }
  });
});

describe('report PDF renderer: resource policies', () => {
  it('never reads a local file or a URL named in a document', async () => {
    await expect(renderPdf({ content: [{ image: '/etc/hostname' }] })).rejects.toThrow(
      /Access to local file denied/,
    );
    await expect(
      renderPdf({
        content: [{ image: 'remote' }],
        images: { remote: 'https://example.com/x.png' },
      }),
    ).rejects.toThrow(/Access to URL denied/);
  });
});
