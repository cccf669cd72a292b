import type { Scan } from '../../../../src-shared/contract/entities.js';
import { orientationMarkers, type ViewTransform } from './orientation-markers.js';

/**
 * The patient-direction letters at the viewport's edges (R/L, A/P, S/I), following rotation and
 * flips. Shown only when the scan's geometry is known: a guessed marker is worse than none.
 */
export function OrientationMarkersView({
  direction,
  view,
}: {
  direction: Scan['direction'];
  view: ViewTransform;
}) {
  if (direction === null) return null;
  const markers = orientationMarkers(direction[0], direction[1], view);
  return (
    <>
      {(['top', 'bottom', 'left', 'right'] as const).map((edge) =>
        markers[edge] === '' ? null : (
          <span
            key={edge}
            className={`orientation-marker ${edge}`}
            data-testid={`marker-${edge}`}
            aria-hidden="true"
          >
            {markers[edge]}
          </span>
        ),
      )}
    </>
  );
}
