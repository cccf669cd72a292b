import { useCallback, useEffect, useRef, useState } from 'react';
import type { Report } from '../../../../src-shared/contract/reports.js';
import { STREAM_CONTENT_TYPES } from '../../../../src-shared/contract/streams.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage, isApiError } from '../../api/client.js';
import { saveDownload } from '../../ui/save-download.js';
import { exportNotes } from '../viewer/export-results-logic.js';
import { downloadFileName } from './report-logic.js';

export interface ReportDicomState {
  readonly isBusy: boolean;
  /** Why the last download failed, in the core's words. */
  readonly error: string | null;
  /** What the last download saved, and the core's notes (e.g. UIDs generated for a PNG). */
  readonly notes: string | null;
  start(): void;
}

/**
 * "Download DICOM for PACS": one report version's ZIP (`reports.dicom`: SEG, overlays and the
 * PDF as Encapsulated PDF), saved under the core's name with the report's date added as the PDF
 * download does. Leaving the page cancels a download nobody will save.
 */
export function useReportDicom(report: Report | null): ReportDicomState {
  const api = useApi();
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notes, setNotes] = useState<string | null>(null);
  const running = useRef<AbortController | null>(null);

  useEffect(() => () => running.current?.abort(), []);
  // Another version (or a saved edit) makes the last notes stale.
  useEffect(() => {
    setNotes(null);
    setError(null);
  }, [report?.id, report?.updatedAt]);

  const start = useCallback(() => {
    if (report === null || running.current !== null) return;
    const controller = new AbortController();
    running.current = controller;
    setIsBusy(true);
    setError(null);
    setNotes(null);
    api
      .stream('reports.dicom', { reportId: report.id }, { signal: controller.signal })
      .then(
        ({ description, data }) => {
          const fileName = downloadFileName(description.fileName, report);
          saveDownload(fileName, data, STREAM_CONTENT_TYPES.zip);
          setNotes(exportNotes(fileName, description.notes));
        },
        (failure: unknown) => {
          if (!(isApiError(failure) && failure.code === 'CANCELLED'))
            setError(errorMessage(failure));
        },
      )
      .finally(() => {
        if (running.current === controller) running.current = null;
        setIsBusy(false);
      });
  }, [api, report]);

  return { isBusy, error, notes, start };
}
