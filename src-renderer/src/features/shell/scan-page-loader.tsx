import { useEffect, useState, type ComponentProps } from 'react';
import { EmptyState } from '../../ui/empty-state.js';
import { ErrorMessage } from '../../ui/error-message.js';

// The viewer (cornerstone) is the largest part of the bundle, so it is a chunk of its own, fetched
// while the user is on another page (`preloadViewer`). It is not rendered through `lazy` and
// Suspense: React keeps a Suspense fallback on screen for at least 300 ms, which was most of the
// time to the first image (docs/decisions.md, "Viewer speed").
type ViewerModule = typeof import('../viewer/scan-detail-page.js');

let loaded: ViewerModule | undefined;
let loading: Promise<ViewerModule> | undefined;

/** Fetches the viewer's chunk once; a failed fetch is tried again on the next call. */
export function preloadViewer(): Promise<ViewerModule> {
  loading ??= import('../viewer/scan-detail-page.js').then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** The scan page, at once when the viewer's chunk is there, after fetching it otherwise. */
export function ScanPage(props: ComponentProps<ViewerModule['ScanDetailPage']>) {
  const [viewer, setViewer] = useState<{ module?: ViewerModule; isFailed?: boolean }>(() => ({
    module: loaded,
  }));
  const isLoaded = viewer.module !== undefined;

  useEffect(() => {
    if (isLoaded) return;
    let isCurrent = true;
    preloadViewer().then(
      (module) => {
        if (isCurrent) setViewer({ module });
      },
      () => {
        if (isCurrent) setViewer({ isFailed: true });
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [isLoaded]);

  if (viewer.isFailed === true)
    return (
      <EmptyState title="The viewer could not be loaded." testId="viewer-load-failed">
        <ErrorMessage message="Reload the page; if it keeps happening, contact support." />
      </EmptyState>
    );
  if (viewer.module === undefined)
    return <div className="table-placeholder">Opening the viewer…</div>;
  return <viewer.module.ScanDetailPage {...props} />;
}
