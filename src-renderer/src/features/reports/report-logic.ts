import type { Analysis } from '../../../../src-shared/contract/analysis.js';
import type { Report } from '../../../../src-shared/contract/reports.js';
import { noMaskReason } from '../viewer/export-results-logic.js';

/** What the logged-in user may do with reports (from the role's permissions). */
export interface ReportPermissions {
  readonly role: string;
  readonly canWrite: boolean;
  readonly canSign: boolean;
}

/** The texts the editor holds; compared with the stored version to know what is unsaved. */
export interface ReportTexts {
  readonly findings: string;
  readonly impression: string;
}

export function isDirty(report: Pick<Report, 'findings' | 'impression'>, texts: ReportTexts) {
  return report.findings !== texts.findings || report.impression !== texts.impression;
}

/** Why the texts cannot be edited, in words for the page; null when they can. */
export function editBlockedReason(report: Report, permissions: ReportPermissions): string | null {
  if (report.status === 'final')
    return report.supersededBy === null
      ? 'This version is signed and cannot be changed. Amend it to make a new version.'
      : 'This version is signed and was amended since: open the newest version.';
  if (!permissions.canWrite)
    return `Your role (${permissions.role}) reads reports; a radiologist writes and signs them.`;
  return null;
}

/** Why "Sign" cannot run now, for its tooltip and the note beside it; null when it can. */
export function signBlockedReason(
  report: Report,
  permissions: ReportPermissions,
  impression: string,
): string | null {
  if (report.status === 'final') return 'Already signed.';
  if (!permissions.canSign)
    return `Your role (${permissions.role}) may not sign reports; a radiologist signs them.`;
  if (impression.trim() === '')
    return 'Write an impression first: a signed report needs a conclusion.';
  return null;
}

/** Why "Amend" cannot run, or null. Only the newest signed version is amended. */
export function amendBlockedReason(report: Report, permissions: ReportPermissions): string | null {
  if (report.status === 'draft') return 'A draft is edited directly; amend only a signed report.';
  if (report.supersededBy !== null) return 'This version was amended already: open the newest.';
  if (!permissions.canWrite)
    return `Your role (${permissions.role}) may not amend reports; a radiologist does.`;
  return null;
}

/**
 * Why "Download DICOM for PACS" cannot run, or null. The ZIP is the version's analysis as DICOM
 * SEG and overlays with the PDF beside them, so an analysis without a mask has nothing for it
 * (the PDF download is the way to send such a report). `latest` is the scan's latest analysis:
 * when the version reports an older one, the core checks that one's mask and says so.
 */
export function dicomBlockedReason(
  report: Report,
  latest: Analysis | undefined,
  dirty: boolean,
): string | null {
  if (dirty) return 'Save your changes first: the DICOM report holds the saved text.';
  if (latest === undefined || latest.id !== report.analysisId) return null;
  const noMask = noMaskReason(latest);
  return noMask === null
    ? null
    : `${noMask} There is no segmentation to send: download the PDF instead.`;
}

/** The date part (local) of an ISO timestamp: YYYY-MM-DD. */
export function localDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso.slice(0, 10);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The name to save the PDF under: the core's name (patient, version, DRAFT) with the report's
 * date added after the patient's name, so that a folder of reports sorts by patient, then date.
 * The date is the signature's for a signed version, else the last edit's.
 */
export function downloadFileName(coreName: string, report: Report): string {
  const date = localDate(report.signedAt ?? report.updatedAt);
  if (coreName.includes(date)) return coreName;
  const at = coreName.indexOf('_report_v');
  return at < 0
    ? coreName.replace(/\.pdf$/i, `_${date}.pdf`)
    : `${coreName.slice(0, at)}_${date}${coreName.slice(at)}`;
}

/** The newest version of a chain (lists come newest first, but do not rely on it). */
export function newestOf(versions: readonly Report[]): Report | undefined {
  return versions.reduce<Report | undefined>(
    (newest, r) => (newest === undefined || r.version > newest.version ? r : newest),
    undefined,
  );
}

/** "Signed by dr.kim on 2026-12-02 14:05" or "Draft, last saved …". */
export function statusLine(report: Report, format: (iso: string) => string): string {
  if (report.status === 'final')
    return `Signed by ${report.signedBy ?? 'an unknown user'} at ${format(report.signedAt ?? '')}`;
  return `Draft, last saved ${format(report.updatedAt)}`;
}
