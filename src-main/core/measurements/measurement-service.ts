import type { Scan } from '../../../src-shared/contract/entities.js';
import type {
  MeasurementKindName,
  SavedMeasurement,
} from '../../../src-shared/contract/measurements.js';
import { MEASUREMENT_POINT_COUNTS } from '../../../src-shared/contract/measurements.js';
import type { ImagePoint } from '../../../src-shared/measurements/measurement-math.js';
import { AppError } from '../../../src-shared/errors.js';
import type { Principal } from '../auth/principal.js';
import { actorOf, roleOf } from '../auth/principal.js';
import type { ClinicalWriter } from '../clinical-write/clinical-writer.js';
import { portableFileName } from '../exports/output-names.js';
import type { FrameService } from '../imaging/frame-service.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import type { ScansRepo } from '../scans/scans-repo.js';
import { measurementsCsv } from './measurements-csv.js';
import { measuredValues, patientPointsOf } from './measurement-values.js';
import {
  toSavedMeasurement,
  type MeasurementRecord,
  type MeasurementsRepo,
} from './measurements-repo.js';

export interface MeasurementDraft {
  scanId: string;
  frame: number;
  kind: MeasurementKindName;
  points: ImagePoint[];
  label?: string | undefined;
}

/**
 * Measurements and annotations saved with a scan and the user who drew them. The core computes
 * their values (so reports and CSV show what the viewer showed); every change is a clinical
 * write (row, audit entry, outbox entry in one transaction). Only the author or an admin may
 * change or delete one: a colleague's measurement is part of their reading.
 */
export function createMeasurementService(deps: {
  writer: ClinicalWriter;
  measurements: MeasurementsRepo;
  scans: Pick<ScansRepo, 'get'>;
  frames: Pick<FrameService, 'getFrame'>;
  clock: Clock;
  ids: IdGenerator;
}) {
  const { writer, measurements, clock } = deps;

  function scanOf(scanId: string): Scan {
    const scan = deps.scans.get(scanId);
    if (scan === undefined)
      throw new AppError('NOT_FOUND', 'No such scan: it may have been deleted.', { scanId });
    return scan;
  }

  function recordOf(id: string): MeasurementRecord {
    const record = measurements.get(id);
    if (record === undefined)
      throw new AppError('NOT_FOUND', 'No such measurement: it may have been deleted.', { id });
    return record;
  }

  function assertFrame(scan: Scan, frame: number): void {
    if (frame >= scan.slices)
      throw new AppError(
        'INVALID_INPUT',
        `Scan ${scan.id} has ${scan.slices} slice${scan.slices === 1 ? '' : 's'}; slice ${frame + 1} does not exist.`,
        { frame },
      );
  }

  function assertMayChange(record: MeasurementRecord, principal: Principal | null): void {
    if (principal === null) throw new AppError('UNAUTHENTICATED', 'Log in first.');
    const isAuthor =
      principal.kind === 'user' ? principal.user.id === record.userId : record.userId === null;
    if (!isAuthor && roleOf(principal) !== 'admin')
      throw new AppError(
        'PERMISSION_DENIED',
        `This measurement was drawn by ${record.author}; only they or an admin may change it.`,
      );
  }

  async function measure(
    scan: Scan,
    frame: number,
    kind: MeasurementKindName,
    points: ImagePoint[],
  ) {
    return {
      values: await measuredValues(scan, deps.frames, frame, kind, points),
      patientPoints: patientPointsOf(scan, frame, points),
    };
  }

  return {
    list(scanId: string): SavedMeasurement[] {
      scanOf(scanId);
      return measurements.listByScan(scanId).map(toSavedMeasurement);
    },

    async create(draft: MeasurementDraft, principal: Principal | null): Promise<SavedMeasurement> {
      const scan = scanOf(draft.scanId);
      assertFrame(scan, draft.frame);
      const measured = await measure(scan, draft.frame, draft.kind, draft.points);
      const at = clock.iso();
      const record: MeasurementRecord = {
        id: deps.ids(),
        scanId: scan.id,
        frame: draft.frame,
        kind: draft.kind,
        points: draft.points,
        ...measured,
        label: draft.label ?? '',
        userId: principal?.kind === 'user' ? principal.user.id : null,
        author: actorOf(principal) ?? 'unknown',
        createdAt: at,
        updatedAt: at,
      };
      return writer.write(actorOf(principal), 'measurements.create', () => {
        const saved = toSavedMeasurement(measurements.insert(record));
        return {
          result: saved,
          target: scan.id,
          details: { measurementId: saved.id, kind: saved.kind, frame: saved.frame },
          changes: [{ entity: 'measurement', id: saved.id, op: 'create', payload: saved }],
        };
      });
    },

    async update(
      id: string,
      changes: { points?: ImagePoint[] | undefined; label?: string | undefined },
      principal: Principal | null,
    ): Promise<SavedMeasurement> {
      const current = recordOf(id);
      assertMayChange(current, principal);
      const points = changes.points ?? current.points;
      if (points.length !== MEASUREMENT_POINT_COUNTS[current.kind])
        throw new AppError(
          'INVALID_INPUT',
          `A ${current.kind} has ${MEASUREMENT_POINT_COUNTS[current.kind]} points; ${points.length} were given.`,
        );
      const measured =
        changes.points === undefined
          ? { values: current.values, patientPoints: current.patientPoints }
          : await measure(scanOf(current.scanId), current.frame, current.kind, points);
      const record: MeasurementRecord = {
        ...current,
        points,
        ...measured,
        label: changes.label ?? current.label,
        updatedAt: clock.iso(),
      };
      return writer.write(actorOf(principal), 'measurements.update', () => {
        if (measurements.get(id) === undefined)
          throw new AppError('NOT_FOUND', 'No such measurement: it may have been deleted.', { id });
        const saved = toSavedMeasurement(measurements.update(record));
        return {
          result: saved,
          target: current.scanId,
          details: { measurementId: id, fields: Object.keys(changes) },
          changes: [{ entity: 'measurement', id, op: 'update', payload: saved }],
        };
      });
    },

    remove(id: string, principal: Principal | null): { deleted: boolean } {
      const current = recordOf(id);
      assertMayChange(current, principal);
      return writer.write(actorOf(principal), 'measurements.delete', () => {
        const deleted = measurements.remove(id);
        return {
          result: { deleted },
          target: current.scanId,
          details: { measurementId: id, kind: current.kind, frame: current.frame },
          changes: deleted ? [{ entity: 'measurement', id, op: 'delete' }] : [],
        };
      });
    },

    /** The scan's measurements as a CSV file named after the scan. */
    csv(scanId: string): { fileName: string; count: number; text: string } {
      const scan = scanOf(scanId);
      const saved = measurements.listByScan(scanId).map(toSavedMeasurement);
      const base = portableFileName(scan.description?.trim() || `scan-${scan.id.slice(0, 8)}`);
      return {
        fileName: `${base}_measurements.csv`,
        count: saved.length,
        text: measurementsCsv(scan, saved),
      };
    },
  };
}
export type MeasurementService = ReturnType<typeof createMeasurementService>;
