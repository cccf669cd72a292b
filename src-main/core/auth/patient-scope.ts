import { AppError } from '../../../src-shared/errors.js';
import { ROLE_SCOPE } from '../../../src-shared/roles.js';
import type { Db } from '../db/connection.js';
import { roleOf, type Principal } from './principal.js';

/**
 * How a call names the patient whose data it touches, for roles whose data scope is not `all`:
 * `own-patient` (a patient account: its one record) and `assigned-patients` (a doctor: the
 * patients of its care team). Calls not listed here are refused to such roles: the list is what
 * they may see, everything else is denied by default (permissions still apply on top).
 */
type ScopeRule =
  /** The input field holds a patient id. */
  | { readonly patient: string }
  /** The input field holds a scan id. */
  | { readonly scan: string }
  /** The input field holds a report id. */
  | { readonly report: string }
  /** The input field holds the id of an X-ray reading (of a scan). */
  | { readonly reading: string }
  /** The input field holds the id of a 3D HTML scene (of a scan). */
  | { readonly visualization: string }
  /** A list: the field is set to the caller's own patient (a filter for someone else is refused). */
  | { readonly ownPatientFilter: string }
  /** The call returns no patient's data (the clinic's letterhead). */
  | { readonly noPatientData: true }
  /** The call names no record: it acts for the caller's own account (its care team, its codes). */
  | { readonly callerOwn: true };

export const PATIENT_SCOPE_RULES: Readonly<Record<string, ScopeRule>> = {
  'patients.get': { patient: 'id' },
  'studies.list': { patient: 'patientId' },
  'scans.list': { ownPatientFilter: 'patientId' },
  'scans.get': { scan: 'id' },
  'scans.tags': { scan: 'scanId' },
  'images.frameInfo': { scan: 'scanId' },
  'analysis.get': { scan: 'scanId' },
  'measurements.list': { scan: 'scanId' },
  'reports.get': { report: 'id' },
  'reports.listForPatient': { patient: 'patientId' },
  'reports.listForScan': { scan: 'scanId' },
  'reports.patientStats': { patient: 'patientId' },
  'reports.growth': { scan: 'scanId' },
  'clinic.get': { noPatientData: true },
  // Streams
  'frames.read': { scan: 'scanId' },
  'labels.read': { scan: 'scanId' },
  'analysis.image': { scan: 'scanId' },
  'reports.pdf': { report: 'reportId' },
  // 3D HTML scenes of the caller's scans (reads only: building one needs analysis.run).
  'visualizations.list': { scan: 'scanId' },
  'visualizations.get': { visualization: 'id' },
  'visualizations.html': { visualization: 'id' },
  // Care team (invitations and connect codes): each acts only on the caller's own account.
  'careTeam.createCode': { callerOwn: true },
  'careTeam.connect': { callerOwn: true },
  'careTeam.myPatients': { callerOwn: true },
  // Lists for programs (the REST API): a patient's own rows only.
  'scans.listWithAnalyses': { ownPatientFilter: 'patientId' },
  'reports.list': { ownPatientFilter: 'patientId' },
  'labels.box': { scan: 'scanId' },
  // X-ray readings of the caller's scans (a patient sees the friendly text only; see the handlers).
  'readings.get': { reading: 'id' },
  'readings.list': { scan: 'scanId' },
  'readings.suggestTreatment': { reading: 'id' },
  // A doctor asks for readings of its care team's X-rays, a patient for friendly ones of its own.
  'readings.request': { scan: 'scanId' },
};

/** The same answer for another patient's record as for a missing one: no existence oracle. */
const notYours = (): AppError =>
  new AppError('NOT_FOUND', 'Not found: no such record among your own scans and reports.');

export function createPatientScope(db: Db) {
  const scanPatient = db.prepare<[string], { patient_id: string | null }>(
    'SELECT patient_id FROM scans WHERE id = ?',
  );
  const reportPatient = db.prepare<[string], { patient_id: string | null }>(
    'SELECT s.patient_id FROM reports r JOIN scans s ON s.id = r.scan_id WHERE r.id = ?',
  );
  const visualizationPatient = db.prepare<[string], { patient_id: string | null }>(
    'SELECT s.patient_id FROM visualizations v JOIN scans s ON s.id = v.scan_id WHERE v.id = ?',
  );
  const readingPatient = db.prepare<[string], { patient_id: string | null }>(
    'SELECT s.patient_id FROM readings r JOIN scans s ON s.id = r.scan_id WHERE r.id = ?',
  );
  const assignedPatients = db.prepare<[string], { patient_id: string }>(
    'SELECT patient_id FROM care_team WHERE doctor_id = ?',
  );

  /** The patient records a scoped caller may see: its own, or its care team's. */
  function reachable(principal: Principal): ReadonlySet<string> {
    if (principal.kind !== 'user') return new Set();
    if (ROLE_SCOPE[principal.user.role] === 'assigned-patients')
      return new Set(assignedPatients.all(principal.user.id).map((row) => row.patient_id));
    return new Set(principal.user.patientId === null ? [] : [principal.user.patientId]);
  }

  /** Refuses a call a scoped role may not make at all (before its input is even looked at). */
  function admits(name: string, principal: Principal): void {
    const role = roleOf(principal);
    if (ROLE_SCOPE[role] !== 'all' && !Object.hasOwn(PATIENT_SCOPE_RULES, name))
      throw new AppError(
        'PERMISSION_DENIED',
        `A ${role} account sees only its own patients' scans and reports; this is not available to it.`,
      );
  }

  /**
   * Checks a call's records against the caller's data scope; answers the input to run it with
   * (a list's filter is set to the caller's own patient). Unscoped roles pass unchanged.
   */
  function apply(name: string, principal: Principal, input: unknown): unknown {
    const role = roleOf(principal);
    if (ROLE_SCOPE[role] === 'all') return input;
    admits(name, principal);
    const rule = PATIENT_SCOPE_RULES[name] as ScopeRule;
    if ('noPatientData' in rule || 'callerOwn' in rule) return input;
    const mine = reachable(principal);
    if (mine.size === 0) throw notYours();
    const fields = input as Record<string, unknown>;
    if ('ownPatientFilter' in rule) {
      const asked = fields[rule.ownPatientFilter];
      if (asked !== undefined) {
        if (typeof asked !== 'string' || !mine.has(asked)) throw notYours();
        return input;
      }
      // A doctor names one of their patients; a patient's list is their own record's.
      if (mine.size > 1)
        throw new AppError(
          'INVALID_INPUT',
          `Choose a patient: a ${role} account lists the records of one of its patients at a time.`,
          { issues: [{ path: rule.ownPatientFilter, message: 'required' }] },
        );
      return { ...fields, [rule.ownPatientFilter]: [...mine][0] };
    }
    let patientId: string | null | undefined;
    if ('patient' in rule) patientId = fields[rule.patient] as string;
    else if ('scan' in rule) patientId = scanPatient.get(String(fields[rule.scan]))?.patient_id;
    else if ('reading' in rule)
      patientId = readingPatient.get(String(fields[rule.reading]))?.patient_id;
    else if ('visualization' in rule)
      patientId = visualizationPatient.get(String(fields[rule.visualization]))?.patient_id;
    else patientId = reportPatient.get(String(fields[rule.report]))?.patient_id;
    if (typeof patientId !== 'string' || !mine.has(patientId)) throw notYours();
    return input;
  }

  return { admits, apply };
}
export type PatientScope = ReturnType<typeof createPatientScope>;
