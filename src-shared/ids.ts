import { z } from 'zod';
import { AppError } from './errors.js';

/**
 * Branded ids: a scan id, a job id and a patient id are all UUID strings, but passing one where
 * another is expected is a type error. The zod schemas brand what they parse, so a contract that
 * uses them hands out branded ids; `asScanId()` and friends brand a string a caller already holds
 * (e.g. from a route or a command line), refusing one that is not a UUID.
 */
export const scanIdSchema = z.string().uuid().brand<'ScanId'>();
export const jobIdSchema = z.string().uuid().brand<'JobId'>();
export const patientIdSchema = z.string().uuid().brand<'PatientId'>();

export type ScanId = z.infer<typeof scanIdSchema>;
export type JobId = z.infer<typeof jobIdSchema>;
export type PatientId = z.infer<typeof patientIdSchema>;

function brander<S extends z.ZodType>(schema: S, what: string): (value: string) => z.output<S> {
  return (value) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      throw new AppError(
        'INVALID_INPUT',
        `"${value}" is not a ${what} id: ids are UUIDs such as 0b6f4d1e-2c1a-4d7e-9a53-5f0c1e2d3a4b (see the list commands).`,
      );
    return parsed.data;
  };
}

export const asScanId = brander(scanIdSchema, 'scan');
export const asJobId = brander(jobIdSchema, 'job');
export const asPatientId = brander(patientIdSchema, 'patient');
