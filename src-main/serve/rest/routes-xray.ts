import { z } from 'zod';
import { JOB_PRIORITIES, type JobPriority } from '../../../src-shared/contract/entities.js';
import { formFiles, formText } from './multipart.js';
import { importFiles, objectBody } from './rest-flows.js';
import { json, RestFailure, type RestCall } from './rest-types.js';
import type { RestRoute } from './rest-types.js';

/**
 * The doctor/patient seed's X-ray routes over the readings methods (docs/xray-readings.md): a
 * reading is a job whose id is the seed's task id, so `GET /api/tasks/status/{task_id}`, cancel
 * and the task WebSocket follow it as any task.
 */
const seed = 'doctor-patient' as const;

const envelope = <T extends z.ZodType>(data: T) => z.object({ success: z.literal(true), data });

const invalid = (path: string, message: string): RestFailure =>
  new RestFailure({
    code: 'INVALID_INPUT',
    message,
    details: { issues: [{ path, message }] },
  });

/** The seed's booleans in a form: true/false (also 1/0); absent → the default. */
function formBoolean(form: FormData, name: string, fallback: boolean): boolean {
  const text = formText(form, name);
  if (text === undefined || text === '') return fallback;
  if (/^(true|1)$/i.test(text)) return true;
  if (/^(false|0)$/i.test(text)) return false;
  throw invalid(name, `The form field "${name}" must be true or false.`);
}

function formPriority(form: FormData): JobPriority {
  const text = formText(form, 'priority');
  if (text === undefined || text === '') return 'MEDIUM';
  const priority = text.toUpperCase();
  if (!(JOB_PRIORITIES as readonly string[]).includes(priority))
    throw invalid('priority', `priority must be one of ${JOB_PRIORITIES.join(', ')}.`);
  return priority as JobPriority;
}

/** The scan to read: an uploaded X-ray (field "file"), or `scan_id` of one already imported. */
async function scanToRead(call: RestCall, form: FormData): Promise<string> {
  const scanId = formText(form, 'scan_id');
  const files = formFiles(form, 'file');
  if (scanId !== undefined && files.length > 0)
    throw invalid('file', 'Send either the X-ray as "file" or "scan_id", not both.');
  if (scanId !== undefined) return scanId;
  if (files.length > 1) throw invalid('file', 'Send one X-ray image per request.');
  // The reading analyses the image: the automatic analysis of uploads would do it a second time.
  const { scanIds } = await importFiles(call, files, undefined, false);
  return scanIds[0] as string;
}

const UPLOAD_USES = ['uploads.begin', 'uploads.put', 'uploads.commit', 'jobs.get', 'import.report'];

const suggestionOut = z.object({
  condition: z.string(),
  confidence: z.number(),
  treatment: z.string(),
  precautions: z.string(),
  source: z.string(),
  source_url: z.string(),
  entry_id: z.string(),
});

export const xrayRoutes: readonly RestRoute[] = [
  {
    verb: 'POST',
    path: '/api/xray/friendly-analysis',
    seed,
    summary:
      'Queue a friendly (plain-language) reading of a chest X-ray: multipart file (or scan_id), include_suggestions (default true); follow it with /api/tasks/status/{task_id}',
    uses: [...UPLOAD_USES, 'readings.request'],
    access: 'bearer',
    body: 'multipart',
    response: envelope(z.object({ task_id: z.string(), estimated_time: z.string() })),
    async handle(call) {
      const form = call.form as FormData;
      const includeSuggestions = formBoolean(form, 'include_suggestions', true);
      const scanId = await scanToRead(call, form);
      const { reading, estimatedTime } = await call.call('readings.request', {
        scanId,
        kind: 'friendly',
        includeSuggestions,
      });
      return json({ success: true, data: { task_id: reading.id, estimated_time: estimatedTime } });
    },
  },
  {
    verb: 'POST',
    path: '/api/xray/expert-analysis',
    seed,
    summary:
      'Queue an expert reading of a chest X-ray: multipart file (or scan_id), additional_notes, priority LOW/MEDIUM/HIGH (a HIGH task runs before waiting LOW ones)',
    uses: [...UPLOAD_USES, 'readings.request'],
    access: 'bearer',
    body: 'multipart',
    response: envelope(
      z.object({
        task_id: z.string(),
        priority: z.enum(JOB_PRIORITIES),
        estimated_time: z.string(),
      }),
    ),
    async handle(call) {
      const form = call.form as FormData;
      const priority = formPriority(form);
      const notes = formText(form, 'additional_notes') ?? '';
      const scanId = await scanToRead(call, form);
      const { reading, estimatedTime } = await call.call('readings.request', {
        scanId,
        kind: 'expert',
        priority,
        notes,
        includeSuggestions: formBoolean(form, 'include_suggestions', true),
      });
      return json({
        success: true,
        data: { task_id: reading.id, priority: reading.priority, estimated_time: estimatedTime },
      });
    },
  },
  {
    verb: 'POST',
    path: '/api/xray/suggest-treatment',
    seed,
    summary:
      'Treatment suggestions for a finished reading (analysis_task_id; patient_age chooses adult or child guidance) from the cited table, with the disclaimer that a clinician decides',
    uses: ['readings.suggestTreatment'],
    access: 'bearer',
    body: 'json',
    response: envelope(
      z.object({
        suggestions: z.array(suggestionOut),
        disclaimer: z.string(),
        table_version: z.string(),
        note: z.string().nullable(),
      }),
    ),
    async handle(call) {
      const body = objectBody(call.body);
      const id = body['analysis_task_id'];
      if (typeof id !== 'string')
        throw invalid('analysis_task_id', 'Send analysis_task_id: the task id of the reading.');
      const age = body['patient_age'];
      if (age !== undefined && age !== null && !(typeof age === 'number' && Number.isInteger(age)))
        throw invalid('patient_age', 'patient_age must be a whole number of years.');
      const text = (name: string): string | undefined => {
        const value = body[name];
        if (value === undefined || value === null) return undefined;
        if (typeof value !== 'string') throw invalid(name, `${name} must be text.`);
        return value;
      };
      const symptoms = text('symptoms');
      const gender = text('patient_gender');
      const answer = await call.call('readings.suggestTreatment', {
        id,
        ...(typeof age === 'number' && { patientAge: age }),
        ...(symptoms !== undefined && { symptoms }),
        ...(gender !== undefined && { patientGender: gender }),
      });
      return json({
        success: true,
        data: {
          suggestions: answer.suggestions.map((s) => ({
            condition: s.condition,
            confidence: s.confidence,
            treatment: s.treatment,
            precautions: s.precautions,
            source: `${s.source.title}. ${s.source.reference}`,
            source_url: s.source.url,
            entry_id: s.id,
          })),
          disclaimer: answer.disclaimer,
          table_version: answer.tableVersion,
          note: answer.note,
        },
      });
    },
  },
];
