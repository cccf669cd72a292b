import { z } from 'zod';

/**
 * What the `reports.dicom` download says about itself: the name to save the ZIP under (IPC
 * carries no Content-Disposition) and what its reader should know (e.g. UIDs generated for a
 * source that is not DICOM).
 */
export const reportDicomDescriptionSchema = z.object({
  fileName: z.string().min(1),
  notes: z.array(z.string()),
});
export type ReportDicomDescription = z.infer<typeof reportDicomDescriptionSchema>;

/**
 * The Document Title of a report version's Encapsulated PDF: a PACS lists it by this, so it
 * names the version and marks a draft (the same title from the app, the API and the CLI).
 */
export function reportDocumentTitle(report: {
  version: number;
  status: 'draft' | 'final';
}): string {
  return `Neuroradiology report, version ${report.version}${report.status === 'draft' ? ' (DRAFT)' : ''}`;
}
