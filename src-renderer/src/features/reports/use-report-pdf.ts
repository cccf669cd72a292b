import { useEffect, useRef, useState } from 'react';
import { STREAM_CONTENT_TYPES } from '../../../../src-shared/contract/streams.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage, isApiError } from '../../api/client.js';

export interface ReportPdf {
  /** A blob: URL of the PDF for the preview frame and printing; revoked when replaced. */
  readonly url: string;
  readonly bytes: ArrayBuffer;
  /** The core's name for the file (patient, version, DRAFT). */
  readonly fileName: string;
}

export interface ReportPdfState {
  readonly pdf: ReportPdf | null;
  readonly isLoading: boolean;
  readonly error: string | null;
}

/**
 * The PDF of one report version through the `reports.pdf` stream (the same bytes the CLI and
 * the REST API give). `revision` (the version's updatedAt) fetches it again after a save or a
 * signature; a fetch made stale by a newer one is cancelled.
 */
export function useReportPdf(reportId: string, revision: string | null): ReportPdfState {
  const api = useApi();
  const [state, setState] = useState<ReportPdfState>({ pdf: null, isLoading: true, error: null });
  // The shown PDF's URL stays valid until its replacement arrives (no blank frame meanwhile).
  const shownUrl = useRef<string | null>(null);
  useEffect(
    () => () => {
      if (shownUrl.current !== null) URL.revokeObjectURL(shownUrl.current);
    },
    [],
  );

  useEffect(() => {
    if (revision === null) return undefined;
    const controller = new AbortController();
    setState((s) => ({ ...s, isLoading: true, error: null }));
    api.stream('reports.pdf', { reportId }, { signal: controller.signal }).then(
      ({ description, data }) => {
        const url = URL.createObjectURL(new Blob([data], { type: STREAM_CONTENT_TYPES.pdf }));
        if (shownUrl.current !== null) URL.revokeObjectURL(shownUrl.current);
        shownUrl.current = url;
        setState({
          pdf: { url, bytes: data, fileName: description.fileName },
          isLoading: false,
          error: null,
        });
      },
      (failure: unknown) => {
        if (isApiError(failure) && failure.code === 'CANCELLED') return;
        setState({ pdf: null, isLoading: false, error: errorMessage(failure) });
      },
    );
    return () => controller.abort();
  }, [api, reportId, revision]);

  return state;
}
