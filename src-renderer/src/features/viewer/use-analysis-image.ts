import { useEffect, useState } from 'react';
import type { AnalysisImageKind } from '../../../../src-shared/contract/analysis.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';

export interface AnalysisImageState {
  readonly url: string | null;
  readonly error: string | null;
}

/**
 * An object URL for one picture of an analysis, revoked when the picture changes or the
 * component unmounts, so a long reading session does not keep every PNG it ever showed.
 * `analysisId` is a dependency so a new analysis of the same scan loads its own picture.
 */
export function useAnalysisImage(
  scanId: string,
  analysisId: string,
  kind: AnalysisImageKind | null,
): AnalysisImageState {
  const api = useApi();
  const [state, setState] = useState<AnalysisImageState>({ url: null, error: null });

  useEffect(() => {
    setState({ url: null, error: null });
    if (kind === null) return undefined;
    let url: string | null = null;
    let isCurrent = true;
    api.analysisImage(scanId, kind).then(
      (blob) => {
        if (!isCurrent) return;
        url = URL.createObjectURL(blob);
        setState({ url, error: null });
      },
      (failure: unknown) => {
        if (isCurrent) setState({ url: null, error: errorMessage(failure) });
      },
    );
    return () => {
      isCurrent = false;
      if (url !== null) URL.revokeObjectURL(url);
    };
  }, [api, scanId, analysisId, kind]);

  return state;
}
