import { useEffect, useState, type ComponentProps } from 'react';
import { EmptyState } from '../../ui/empty-state.js';
import { ErrorMessage } from '../../ui/error-message.js';

// three.js is large and only the 3D view needs it: a chunk of its own, fetched when opened. Not
// through `lazy` and Suspense: React keeps a Suspense fallback on screen for at least 300 ms,
// a fifth of the first 3D frame's budget (as for the 2D viewer, scan-page-loader.tsx).
type Viewer3DModule = typeof import('../viewer3d/viewer3d-page.js');

let loaded: Viewer3DModule | undefined;
let loading: Promise<Viewer3DModule> | undefined;

/** Fetches the 3D view's chunk once; a failed fetch is tried again on the next call. */
function loadViewer3D(): Promise<Viewer3DModule> {
  loading ??= import('../viewer3d/viewer3d-page.js').then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** The 3D view, at once when its chunk is there, after fetching it otherwise. */
export function Viewer3DPage(props: ComponentProps<Viewer3DModule['Viewer3DPage']>) {
  const [view, setView] = useState<{ module?: Viewer3DModule; isFailed?: boolean }>(() => ({
    module: loaded,
  }));
  const isLoaded = view.module !== undefined;

  useEffect(() => {
    if (isLoaded) return;
    let isCurrent = true;
    loadViewer3D().then(
      (module) => {
        if (isCurrent) setView({ module });
      },
      () => {
        if (isCurrent) setView({ isFailed: true });
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [isLoaded]);

  if (view.isFailed === true)
    return (
      <EmptyState title="The 3D view could not be loaded." testId="viewer3d-load-failed">
        <ErrorMessage message="Reload the page; if it keeps happening, contact support." />
      </EmptyState>
    );
  if (view.module === undefined)
    return <div className="table-placeholder">Opening the 3D view…</div>;
  return <view.module.Viewer3DPage {...props} />;
}
