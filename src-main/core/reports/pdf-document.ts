import {
  brainTumourFindings,
  type Analysis,
  type Detection,
} from '../../../src-shared/contract/analysis.js';
import { REPORT_FONT } from './pdf-engine.js';
import { pictureDataUrl } from './picture-data-url.js';
import type { ReportDocumentData, ReportFigures } from './report-data.js';

/** Printed on every report, in the body and in every page's footer. */
export const REPORT_DISCLAIMER =
  'Research and decision support only, not a diagnosis. Neurosphere is not a medical device: ' +
  'every finding must be confirmed by a qualified physician.';

// pdfmake's document nodes are plain objects; these names keep the builder readable.
type Node = Record<string, unknown> | string;
type Row = Node[];

const GREY = '#555555';
const LINE = '#999999';

function orDash(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : value.toFixed(digits);
}

/** A volume in mL: two decimals from 1 mL, two significant digits below (0.011 mL, not 0.01). */
function formatMl(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const digits = value >= 1 || value === 0 ? value.toFixed(2) : value.toPrecision(2);
  return `${digits} mL`;
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

function heading(text: string): Node {
  return { text, style: 'h2' };
}

function table(header: string[], rows: Row[], widths?: Array<string | number>): Node {
  return {
    table: {
      headerRows: 1,
      widths: widths ?? header.map(() => '*'),
      body: [header.map((h) => ({ text: h, style: 'th' })), ...rows],
    },
    layout: 'lightHorizontalLines',
    style: 'table',
  };
}

/** Label/value pairs in two columns of pairs. */
function facts(pairs: Array<[string, string]>): Node {
  const rows: Row[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const [a, b] = [pairs[i], pairs[i + 1]];
    rows.push([
      { text: a?.[0] ?? '', style: 'label' },
      a?.[1] ?? '',
      { text: b?.[0] ?? '', style: 'label' },
      b?.[1] ?? '',
    ]);
  }
  return { table: { widths: [80, '*', 80, '*'], body: rows }, layout: 'noBorders', style: 'table' };
}

function header(data: ReportDocumentData): Node {
  const clinicName = data.clinic.name.trim() === '' ? 'Neurosphere' : data.clinic.name;
  const letterhead: Node[] = [
    { text: clinicName, style: 'clinic' },
    ...(data.clinic.address.trim() === '' ? [] : [{ text: data.clinic.address, style: 'small' }]),
  ];
  const columns: Node[] = [];
  if (data.clinic.logo !== null)
    columns.push({ image: pictureDataUrl(data.clinic.logo), fit: [110, 50], width: 120 });
  columns.push({ stack: letterhead, width: '*' });
  columns.push({
    stack: [
      { text: 'Imaging report', style: 'title', alignment: 'right' },
      {
        text: `Version ${data.report.version} · ${data.report.status === 'final' ? 'Final' : 'DRAFT'}`,
        alignment: 'right',
        bold: data.report.status === 'draft',
        color: data.report.status === 'draft' ? '#b00020' : 'black',
      },
    ],
    width: 160,
  });
  return { columns, columnGap: 10, margin: [0, 0, 0, 8] };
}

function patientAndStudy(data: ReportDocumentData): Node[] {
  const p = data.patient;
  const pairs: Array<[string, string]> = [
    ['Patient', p?.name ?? 'No patient recorded'],
    ['Patient ID', orDash(p?.mrn)],
    ['Birth date', orDash(p?.birthDate)],
    ['Sex', orDash(p?.sex)],
    ['Study date', orDash(data.study?.date ?? data.scan.acquiredAt)],
    ['Accession', orDash(data.study?.accessionNumber)],
    ['Study', orDash(data.study?.description)],
    ['Series', orDash(data.series?.description)],
    ['Modality', orDash(data.series?.modality)],
    ['Series no.', orDash(data.series?.seriesNumber)],
    ['Input', `${data.scan.format.toUpperCase()} ${data.scan.kind}, ${data.scan.slices} slice(s)`],
    ['Scan id', data.scan.id],
  ];
  return [heading('Patient and study'), facts(pairs)];
}

function statusBlock(data: ReportDocumentData): Node[] {
  const r = data.report;
  const lines: Node[] = [];
  if (r.status === 'final')
    lines.push({
      text: `Signed by ${orDash(r.signedBy)} on ${orDash(r.signedAt)} (version ${r.version}).`,
      bold: true,
    });
  else
    lines.push({
      text: `DRAFT, not signed: version ${r.version}, last edited ${r.updatedAt}. Not valid as a report until signed.`,
      bold: true,
      color: '#b00020',
    });
  if (r.amends !== null)
    lines.push({
      text: `Amendment of version ${r.version - 1}. What it changes: ${orDash(r.changes)}`,
      italics: true,
    });
  if (r.supersededBy !== null)
    lines.push({
      text: 'A later version amends this one: use the newest version.',
      color: '#b00020',
    });
  return [{ stack: lines, margin: [0, 6, 0, 0] }];
}

function narrative(data: ReportDocumentData): Node[] {
  return [
    heading('Findings'),
    { text: data.report.findings.trim() === '' ? '—' : data.report.findings, style: 'body' },
    heading('Impression'),
    { text: data.report.impression.trim() === '' ? '—' : data.report.impression, style: 'body' },
  ];
}

function lesionRow(d: Detection, index: number, figures: ReportFigures): Row {
  const volume = d.metrics.kind === 'volume' ? d.metrics.volume_mm3 / 1000 : null;
  const diameter = d.metrics.kind === 'volume' ? d.metrics.diameter_mm : d.metrics.diameter;
  const sphericity = d.metrics.kind === 'volume' ? d.metrics.sphericity : null;
  const inPlane = figures.diameters?.find((x) => x.detectionId === d.detectionId);
  const row: Row = [
    String(index + 1),
    d.location.description,
    // A figure and its unit never part across lines.
    { text: formatMl(volume), noWrap: true },
    // The analysis's own maximum diameter, so the report, the viewer and the results JSON agree.
    { text: `${fixed(diameter, 1)} ${d.units}`, noWrap: true },
  ];
  if (figures.diameters !== undefined)
    row.push(
      inPlane === undefined
        ? '—'
        : `${fixed(inPlane.longestInPlaneMm, 1)} × ${fixed(inPlane.perpendicularInPlaneMm, 1)} mm = ${fixed(
            inPlane.longestInPlaneMm * inPlane.perpendicularInPlaneMm,
            0,
          )} mm² (${inPlane.plane})`,
    );
  row.push(d.size, fixed(sphericity, 2), {
    text: d.confidence === null ? '—' : percent(d.confidence),
    noWrap: true,
  });
  return row;
}

function analysisSection(analysis: Analysis, figures: ReportFigures): Node[] {
  const nodes: Node[] = [heading('Software analysis')];
  const when = `Analysis of ${analysis.createdAt} (pipeline ${analysis.pipeline}).`;
  nodes.push({ text: when, style: 'small' });
  for (const warning of analysis.warnings)
    nodes.push({ text: `Warning: ${warning}`, color: '#b00020' });
  const brain = brainTumourFindings(analysis);
  if (analysis.findings.kind === 'not-applicable') {
    nodes.push({ text: `Not assessed: ${analysis.findings.reason}`, style: 'body' });
  } else if (brain !== null) {
    nodes.push({
      text: brain.tumourDetected
        ? `Tumour segmented: ${brain.detections.length} lesion(s), total volume ${formatMl((brain.summary.totalVolume_mm3 ?? 0) / 1000)}.`
        : 'No tumour segmented.',
      style: 'body',
    });
    if (brain.detections.length > 0) {
      const headerRow = ['#', 'Location (approx.)', 'Volume', 'Max 3D diameter'];
      if (figures.diameters !== undefined) headerRow.push('Perpendicular in-plane diameters');
      headerRow.push('Size', 'Sphericity', 'Confidence');
      nodes.push(
        table(
          headerRow,
          brain.detections.map((d, i) => lesionRow(d, i, figures)),
          headerRow.map((h) =>
            h === '#'
              ? 14
              : h.startsWith('Location') || h.startsWith('Perp') || h === 'Size'
                ? '*'
                : 'auto',
          ),
        ),
      );
    }
    nodes.push(...tumourType(brain));
  }
  nodes.push(...imageQuality(analysis));
  return nodes;
}

function tumourType(brain: NonNullable<ReturnType<typeof brainTumourFindings>>): Node[] {
  const nodes: Node[] = [{ text: 'Tumour type', style: 'h3' }];
  if (brain.tumourType !== undefined)
    nodes.push({ text: brain.tumourType.statement, style: 'body' });
  if (brain.classification !== null) {
    const probabilities = Object.entries(brain.classification.probabilities).sort(
      (a, b) => b[1] - a[1],
    );
    nodes.push({
      text: `Classifier output on slice ${brain.classification.slice + 1} (per-class probabilities):`,
      style: 'small',
    });
    nodes.push(
      table(
        ['Class', 'Probability'],
        probabilities.map(([label, p]) => [label, percent(p)]),
        [140, 80],
      ),
    );
  } else if (brain.tumourType === undefined) {
    nodes.push({ text: 'Not assessed: no classifier ran.', style: 'body' });
  }
  if (brain.tumourType?.disagreement)
    nodes.push({ text: `Models disagree: ${brain.tumourType.disagreement}`, color: '#b00020' });
  return nodes;
}

function imageQuality(analysis: Analysis): Node[] {
  if (analysis.imageQuality === null && analysis.applicability.reasons.length === 0) return [];
  const nodes: Node[] = [{ text: 'Image quality and applicability', style: 'h3' }];
  if (analysis.imageQuality !== null) {
    nodes.push({
      text: `Quality score ${analysis.imageQuality.score.toFixed(2)} (1 = no problem found).`,
      style: 'body',
    });
    nodes.push(
      analysis.imageQuality.issues.length === 0
        ? { text: 'No image-quality issue noted.', style: 'body' }
        : { ul: analysis.imageQuality.issues, style: 'body' },
    );
  }
  nodes.push({
    text: `Input check: ${analysis.applicability.verdict}${analysis.applicability.reasons.length > 0 ? ` (${analysis.applicability.reasons.join('; ')})` : ''}.`,
    style: 'small',
  });
  return nodes;
}

function keyImages(figures: ReportFigures): Node[] {
  const images = figures.keyImages ?? [];
  if (images.length === 0) return [];
  const cells: Node[] = images.map((image) => ({
    stack: [
      { image: pictureDataUrl(image.png), fit: [160, 160], alignment: 'center' },
      { text: image.caption, style: 'small', alignment: 'center' },
    ],
    width: '*',
  }));
  const rows: Node[] = [];
  for (let i = 0; i < cells.length; i += 3)
    rows.push({ columns: cells.slice(i, i + 3), columnGap: 8, margin: [0, 4, 0, 4] });
  // One block: the heading never ends a page without its pictures.
  return [{ stack: [heading('Key images'), ...rows], unbreakable: true }];
}

function growth(figures: ReportFigures): Node[] {
  const g = figures.growth;
  if (g === undefined || g.rows.length === 0) return [];
  const nodes: Node[] = [heading('Growth over time')];
  nodes.push(
    table(
      ['Date', 'Lesion', 'Volume', 'Max diameter', 'Change', 'Per month'],
      g.rows.map((r) => [
        r.date,
        r.lesion,
        formatMl(r.volumeMl),
        r.maxDiameterMm === null ? '—' : `${fixed(r.maxDiameterMm, 1)} mm`,
        r.changePercent === null
          ? '—'
          : `${r.changePercent >= 0 ? '+' : ''}${fixed(r.changePercent, 1)} %`,
        r.changePercentPerMonth === null
          ? '—'
          : `${r.changePercentPerMonth >= 0 ? '+' : ''}${fixed(r.changePercentPerMonth, 1)} %`,
      ]),
    ),
  );
  if (g.plotSvg !== null) nodes.push({ svg: g.plotSvg, width: 360, margin: [0, 6, 0, 0] });
  return nodes;
}

function measurements(figures: ReportFigures): Node[] {
  const list = figures.measurements ?? [];
  if (list.length === 0) return [];
  return [
    heading('Measurements saved in the viewer'),
    table(
      ['Measurement', 'Value', 'Slice'],
      list.map((m) => [m.label, m.value, m.slice === null ? '—' : String(m.slice + 1)]),
      ['*', '*', 50],
    ),
  ];
}

function provenance(data: ReportDocumentData): Node[] {
  const a = data.analysis;
  const rows: Row[] = data.models.map((m) => [
    m.role,
    m.id,
    m.version,
    m.sha256 === null
      ? { text: `not known: ${orDash(m.note)}`, italics: true }
      : { text: m.sha256, style: 'mono' },
  ]);
  const t = a.timings;
  return [
    heading('Model provenance and timings'),
    rows.length === 0
      ? { text: 'No model ran on this input.', style: 'body' }
      : table(['Role', 'Model', 'Version', 'sha256'], rows, [70, 90, 45, '*']),
    {
      text: `Execution provider: ${orDash(a.provider)}${a.providerNote === null ? '' : ` (${a.providerNote})`}. Timings: load ${t.loadMs.toFixed(0)} ms, preprocessing ${t.preprocessMs.toFixed(0)} ms, inference ${t.inferenceMs.toFixed(0)} ms, postprocessing ${t.postprocessMs.toFixed(0)} ms, total ${t.totalMs.toFixed(0)} ms.`,
      style: 'small',
      margin: [0, 4, 0, 0],
    },
    {
      text: `Analysis ${a.id}; report ${data.report.id}; generated ${data.generatedAt} by Neurosphere ${data.appVersion}.`,
      style: 'small',
    },
  ];
}

/** The pdfmake document definition of a report: pure, from plain data. */
export function reportDocument(data: ReportDocumentData): object {
  const isDraft = data.report.status === 'draft';
  const patientName = data.patient?.name ?? 'No patient';
  return {
    info: {
      title: `Imaging report, ${patientName}, version ${data.report.version}${isDraft ? ' (DRAFT)' : ''}`,
      author: data.clinic.name.trim() === '' ? 'Neurosphere' : data.clinic.name,
      creator: `Neurosphere ${data.appVersion}`,
      subject: 'Imaging report (research and decision support, not a diagnosis)',
    },
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 56],
    ...(isDraft && {
      watermark: { text: 'DRAFT', color: '#b00020', opacity: 0.12, bold: true },
    }),
    defaultStyle: { font: REPORT_FONT, fontSize: 9.5, lineHeight: 1.15 },
    styles: {
      clinic: { fontSize: 14, bold: true },
      title: { fontSize: 14, bold: true },
      h2: { fontSize: 11.5, bold: true, margin: [0, 12, 0, 4] },
      h3: { fontSize: 10, bold: true, margin: [0, 8, 0, 2] },
      th: { bold: true, fontSize: 8.5 },
      label: { color: GREY, fontSize: 8.5 },
      small: { fontSize: 8, color: GREY },
      mono: { fontSize: 7 },
      body: { margin: [0, 0, 0, 4] },
      table: { fontSize: 8.5, margin: [0, 2, 0, 4] },
      disclaimer: { fontSize: 8.5, italics: true, margin: [0, 12, 0, 0] },
    },
    footer: (currentPage: number, pageCount: number): Node => ({
      margin: [40, 10, 40, 0],
      stack: [
        {
          canvas: [{ type: 'line', x1: 0, y1: 0, x2: 515, y2: 0, lineWidth: 0.5, lineColor: LINE }],
        },
        {
          columns: [
            { text: REPORT_DISCLAIMER, fontSize: 7, color: GREY, width: '*' },
            {
              text: `${isDraft ? 'DRAFT · ' : ''}${patientName} · v${data.report.version} · page ${currentPage} of ${pageCount}`,
              fontSize: 7,
              color: GREY,
              alignment: 'right',
              width: 170,
            },
          ],
          margin: [0, 3, 0, 0],
        },
      ],
    }),
    content: [
      header(data),
      { canvas: [{ type: 'line', x1: 0, y1: 0, x2: 515, y2: 0, lineWidth: 1, lineColor: LINE }] },
      ...statusBlock(data),
      ...patientAndStudy(data),
      ...narrative(data),
      ...analysisSection(data.analysis, data.figures),
      ...keyImages(data.figures),
      ...growth(data.figures),
      ...measurements(data.figures),
      ...provenance(data),
      { text: REPORT_DISCLAIMER, style: 'disclaimer' },
    ],
  };
}
