import type { Report } from '../../../src-shared/contract/reports.js';
import { renderPdf } from './pdf-engine.js';
import { reportDocument } from './pdf-document.js';
import type { ReportDocumentData } from './report-data.js';
import type { ReportContent } from './report-content.js';

/** Renders a report's plain data to PDF bytes (no store access: fast and testable). */
export function renderReportPdf(data: ReportDocumentData): Promise<Buffer> {
  return renderPdf(reportDocument(data));
}

/** Latin letters that do not decompose into a base letter and an accent (Ł is not L + a mark). */
const UNDECOMPOSED_LETTERS: Readonly<Record<string, string>> = {
  Ł: 'L',
  ł: 'l',
  Ø: 'O',
  ø: 'o',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ß: 'ss',
  Æ: 'AE',
  æ: 'ae',
  Œ: 'OE',
  œ: 'oe',
  Þ: 'Th',
  þ: 'th',
};

/** A file name for a report: patient, date and version, ASCII-safe. */
export function reportFileName(data: Pick<ReportDocumentData, 'report' | 'patient'>): string {
  const name = (data.patient?.name ?? 'report')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ŁłØøĐđĦħßÆæŒœÞþ]/g, (letter) => UNDECOMPOSED_LETTERS[letter] ?? '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
  const draft = data.report.status === 'draft' ? '_DRAFT' : '';
  return `${name === '' ? 'report' : name}_report_v${data.report.version}${draft}.pdf`;
}

/** A report's PDF from the store. */
export async function reportPdfOf(
  content: ReportContent,
  report: Report,
): Promise<{ bytes: Buffer; fileName: string }> {
  const data = await content.collect(report);
  return { bytes: await renderReportPdf(data), fileName: reportFileName(data) };
}
