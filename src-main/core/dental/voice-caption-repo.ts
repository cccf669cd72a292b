import type { DentalCaption } from '../../../src-shared/contract/dental.js';
import type { Db } from '../db/connection.js';

export interface VoiceCaptionRow {
  id: string;
  case_id: string;
  modality: DentalCaption['modality'];
  file_name: string;
  sha256: string;
  size: number;
  seconds: number | null;
  job_id: string | null;
  raw_transcript: string | null;
  transcript: string | null;
  corrections: string;
  vocabulary_version: string | null;
  model: string | null;
  caption_id: string | null;
  author: string;
  created_at: string;
  updated_at: string;
}

/** The voice captions of dental cases (migration 032). */
export function createVoiceCaptionRepo(db: Db) {
  return {
    insert(v: {
      id: string;
      caseId: string;
      modality: DentalCaption['modality'];
      fileName: string;
      sha256: string;
      size: number;
      jobId: string;
      author: string;
      at: string;
    }): void {
      db.prepare(
        `INSERT INTO dental_voice_captions
           (id, case_id, modality, file_name, sha256, size, job_id, author, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        v.id,
        v.caseId,
        v.modality,
        v.fileName,
        v.sha256,
        v.size,
        v.jobId,
        v.author,
        v.at,
        v.at,
      );
    },
    saveTranscript(
      id: string,
      t: {
        seconds: number;
        raw: string;
        corrected: string;
        corrections: unknown[];
        vocabularyVersion: string;
        model: string;
        captionId: string;
        at: string;
      },
    ): void {
      db.prepare(
        `UPDATE dental_voice_captions SET seconds = ?, raw_transcript = ?, transcript = ?,
           corrections = ?, vocabulary_version = ?, model = ?, caption_id = ?, updated_at = ?
         WHERE id = ?`,
      ).run(
        t.seconds,
        t.raw,
        t.corrected,
        JSON.stringify(t.corrections),
        t.vocabularyVersion,
        t.model,
        t.captionId,
        t.at,
        id,
      );
    },
    setJob(id: string, jobId: string, at: string): void {
      db.prepare('UPDATE dental_voice_captions SET job_id = ?, updated_at = ? WHERE id = ?').run(
        jobId,
        at,
        id,
      );
    },
    get(id: string): VoiceCaptionRow | undefined {
      return db
        .prepare<[string], VoiceCaptionRow>('SELECT * FROM dental_voice_captions WHERE id = ?')
        .get(id);
    },
    list(caseId: string): VoiceCaptionRow[] {
      return db
        .prepare<[string], VoiceCaptionRow>(
          'SELECT * FROM dental_voice_captions WHERE case_id = ? ORDER BY created_at, id',
        )
        .all(caseId);
    },
  };
}
export type VoiceCaptionRepo = ReturnType<typeof createVoiceCaptionRepo>;
