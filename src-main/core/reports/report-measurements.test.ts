import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SavedMeasurement } from '../../../src-shared/contract/measurements.js';
import { headWithSpot, writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { installFlairIdentityModel } from '../../test-support/model-fixtures.js';
import {
  addUser,
  analyseScan,
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { reportMeasurementRows } from './report-measurements.js';
import { renderReportPdf } from './report-pdf.js';

function stored(overrides: Partial<SavedMeasurement>): SavedMeasurement {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    scanId: '00000000-0000-4000-8000-000000000002',
    frame: 0,
    kind: 'length',
    points: [],
    patientPoints: null,
    values: [],
    label: '',
    author: 'rad',
    createdAt: '2024-03-01T08:00:00.000Z',
    updatedAt: '2024-03-01T08:00:00.000Z',
    ...overrides,
  };
}

describe('saved viewer measurements in the report', () => {
  it('reads each as the viewer does: kind, label, author, figures with units, slice order', () => {
    const rows = reportMeasurementRows([
      stored({
        frame: 7,
        kind: 'ellipse',
        label: 'oedema',
        values: [
          { name: 'area', value: 120.4, unit: 'mm²' },
          { name: 'mean', value: 412.04, unit: 'a.u.' },
          { name: 'sd', value: 38.26, unit: 'a.u.' },
        ],
      }),
      stored({ frame: 2, values: [{ name: 'length', value: 23.44, unit: 'mm' }] }),
      stored({ frame: 3, kind: 'angle', values: [{ name: 'angle', value: 37.5, unit: '°' }] }),
      stored({ frame: 3, kind: 'arrow', label: 'enhancing rim', author: 'ana' }),
    ]);
    expect(rows).toEqual([
      { label: 'Length (rad)', value: '23.4 mm', slice: 2 },
      { label: 'Angle (rad)', value: '37.5°', slice: 3 },
      { label: 'Arrow: enhancing rim (ana)', value: 'annotation', slice: 3 },
      {
        label: 'Ellipse: oedema (rad)',
        value: 'mean 412.0 ± 38.3 a.u., area 120 mm²',
        slice: 7,
      },
    ]);
  });

  describe('on a real store', () => {
    let t: TestCore;
    beforeEach(() => {
      t = startTestCore();
    });
    afterEach(() => t.dispose());

    it('prints the measurements saved on the scan, with the key images, in the PDF', async () => {
      const admin = await setupAdmin(t);
      const radiologist = (await addUser(t, admin, 'rad', 'radiologist')).token;
      installFlairIdentityModel(join(t.root, 'models'));
      const scanId = await importScan(
        t,
        admin,
        writeDicomSeries(join(t.inputDir, 'flair'), 4, {
          rows: 64,
          columns: 64,
          patientId: 'MRN-9',
          patientName: 'Measured^Mia',
          seriesDescription: 'AX FLAIR',
          extraAttributes: { BodyPartExamined: 'BRAIN' },
          pixel: headWithSpot,
        }),
      );
      await analyseScan(t, admin, scanId);
      await t.ok(
        'measurements.create',
        {
          scanId,
          frame: 1,
          kind: 'length',
          points: [
            { x: 10, y: 10 },
            { x: 40, y: 50 },
          ],
          label: 'lesion long axis',
        },
        radiologist,
      );
      const report = await t.ok('reports.create', { scanId }, radiologist);
      const data = await t.core.reportContent.collect(report);
      expect(data.figures.measurements).toEqual([
        expect.objectContaining({ label: 'Length: lesion long axis (rad)', slice: 1 }),
      ]);
      expect(data.figures.keyImages?.length ?? 0).toBeGreaterThanOrEqual(3);

      const path = join(t.root, 'report.pdf');
      writeFileSync(path, await renderReportPdf(data));
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
      expect(text).toContain('Measurements saved in the viewer');
      expect(text).toContain('Length: lesion long axis (rad)');
      expect(text).toMatch(/\d+\.\d mm/);
    });
  });
});
