import type { CallAuditor } from '../audit/call-auditor.js';
import { actorOf } from '../auth/principal.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { ClinicSettingsService } from './clinic-settings.js';
import type { ReportsService } from './reports-service.js';

type ReportMethods =
  | 'reports.create'
  | 'reports.get'
  | 'reports.update'
  | 'reports.sign'
  | 'reports.amend'
  | 'reports.listForPatient'
  | 'reports.listForScan'
  | 'reports.delete'
  | 'reports.patientStats'
  | 'clinic.get'
  | 'clinic.update'
  | 'reports.list';

/** Reports and the clinic letterhead. Reads are audited here; changes by the clinical writer. */
export function createReportsHandlers(deps: {
  reports: ReportsService;
  clinic: ClinicSettingsService;
  record: CallAuditor;
}): HandlerMap<ReportMethods> {
  const { reports, record } = deps;
  return {
    'reports.create': (input, call) => reports.create(input.scanId, actorOf(call.principal)),
    'reports.get': (input, call) => {
      const report = reports.get(input.id);
      record(call, 'reports.read', input.id);
      return report;
    },
    'reports.update': (input, call) =>
      reports.update(
        input.id,
        {
          findings: input.findings,
          impression: input.impression,
          toLatestAnalysis: input.analysis === 'latest',
        },
        actorOf(call.principal),
      ),
    'reports.sign': (input, call) => reports.sign(input.id, actorOf(call.principal)),
    'reports.amend': (input, call) =>
      reports.amend(input.id, input.changes, actorOf(call.principal)),
    'reports.listForPatient': (input, call) => {
      record(call, 'reports.list', input.patientId);
      return reports.listOfPatient(input.patientId);
    },
    'reports.listForScan': (input, call) => {
      record(call, 'reports.list', input.scanId);
      return reports.listOfScan(input.scanId);
    },
    'reports.delete': (input, call) => reports.remove(input.id, actorOf(call.principal)),
    'reports.patientStats': (input, call) => {
      const stats = reports.patientStats(input.patientId);
      record(call, 'reports.stats', input.patientId);
      return stats;
    },
    'reports.list': (input, call) => {
      const page = reports.list(input);
      record(call, 'reports.list', null, {
        status: input.status ?? null,
        patientId: input.patientId ?? null,
        reports: page.items.map((report) => report.id),
      });
      return page;
    },
    'clinic.get': () => deps.clinic.get(),
    'clinic.update': async (input, call) => {
      const settings = await deps.clinic.update(input);
      record(call, 'clinic.update', null, {
        fields: Object.keys(input).filter((k) => input[k as keyof typeof input] !== undefined),
      });
      return settings;
    },
  };
}
