import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import type { LabelVolume } from './label-overlay.js';

/**
 * The label volume of `source` for a scan ('analysis' or a segmentation id), fetched once per
 * choice and analysis (`version` changes when a new analysis is stored). Null while none is
 * chosen or loading.
 */
export function useLabelVolume(
  scanId: string,
  source: string | null,
  version: string | null,
): { volume: LabelVolume | null; error: string | null } {
  const api = useApi();
  const [state, setState] = useState<{ volume: LabelVolume | null; error: string | null }>({
    volume: null,
    error: null,
  });
  useEffect(() => {
    setState({ volume: null, error: null });
    if (source === null) return;
    let isCurrent = true;
    api.labelVolume(scanId, source).then(
      ({ info, data }) => {
        if (isCurrent)
          setState({
            volume: { columns: info.columns, rows: info.rows, frames: info.frames, data },
            error: null,
          });
      },
      (failure: unknown) => {
        if (isCurrent) setState({ volume: null, error: errorMessage(failure) });
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [api, scanId, source, version]);
  return state;
}
