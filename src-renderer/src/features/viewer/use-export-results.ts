import { useCallback, useEffect, useRef, useState } from 'react';
import { STREAM_CONTENT_TYPES, streams } from '../../../../src-shared/contract/streams.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage, isApiError } from '../../api/client.js';
import { saveDownload } from '../../ui/save-download.js';
import { exportNotes } from './export-results-logic.js';

export interface ExportResultsState {
  readonly isExporting: boolean;
  /** Why the last export failed, in the core's words. */
  readonly error: string | null;
  /** What the last export saved, and its warnings (e.g. no mask for a refused input). */
  readonly notes: string | null;
  start(): void;
  cancel(): void;
}

/** The downloads of the latest analysis the scan page offers (both answer an export description). */
export type ResultsStream = 'analysis.export' | 'analysis.dicomSeg';

/**
 * "Export results" (`analysis.export`, a ZIP) and "DICOM SEG" (`analysis.dicomSeg`): downloads
 * the latest analysis through the API's stream, whichever transport runs, and saves it under
 * the name the core gave it.
 */
export function useExportResults(
  scanId: string,
  stream: ResultsStream = 'analysis.export',
): ExportResultsState {
  const api = useApi();
  const [isExporting, setIsExporting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notes, setNotes] = useState<string | null>(null);
  const running = useRef<AbortController | null>(null);

  // Leaving the scan page ends a download nobody will save.
  useEffect(() => () => running.current?.abort(), []);

  const start = useCallback(() => {
    if (running.current !== null) return;
    const controller = new AbortController();
    running.current = controller;
    setIsExporting(true);
    setError(null);
    setNotes(null);
    api
      .stream(stream, { scanId }, { signal: controller.signal })
      .then(
        ({ description, data }) => {
          saveDownload(
            description.fileName,
            data,
            STREAM_CONTENT_TYPES[streams[stream].response.kind],
          );
          setNotes(exportNotes(description.fileName, description.warnings));
        },
        (failure: unknown) => {
          // A cancel the user asked for is not an error.
          if (!(isApiError(failure) && failure.code === 'CANCELLED'))
            setError(errorMessage(failure));
        },
      )
      .finally(() => {
        if (running.current === controller) running.current = null;
        setIsExporting(false);
      });
  }, [api, scanId, stream]);

  const cancel = useCallback(() => running.current?.abort(), []);

  return { isExporting, error, notes, start, cancel };
}
