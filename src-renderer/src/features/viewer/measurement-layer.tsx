import type { ImagePoint, Measurement } from './measurements.js';

export interface DrawnMeasurement {
  readonly measurement: Pick<Measurement, 'id' | 'kind' | 'start' | 'end'>;
  readonly label: string;
}

/**
 * Lengths and elliptical regions over the image, redrawn from image coordinates on every render
 * so they stay on the anatomy through zoom, pan, rotation and flips.
 */
export function MeasurementLayer({
  drawn,
  toCanvas,
  testId,
}: {
  drawn: readonly DrawnMeasurement[];
  toCanvas: (point: ImagePoint) => ImagePoint | null;
  testId: string;
}) {
  return (
    <svg className="measurement-layer" aria-hidden="true" data-testid={testId}>
      {drawn.map(({ measurement, label }) => {
        const a = toCanvas(measurement.start);
        const b = toCanvas(measurement.end);
        if (a === null || b === null) return null;
        const labelAt = { x: Math.max(a.x, b.x) + 6, y: Math.min(a.y, b.y) - 6 };
        return (
          <g key={measurement.id} className="measurement" data-kind={measurement.kind}>
            {measurement.kind === 'length' ? (
              <>
                <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} />
                <circle cx={a.x} cy={a.y} r={3} />
                <circle cx={b.x} cy={b.y} r={3} />
              </>
            ) : (
              <ellipse
                cx={(a.x + b.x) / 2}
                cy={(a.y + b.y) / 2}
                rx={Math.abs(b.x - a.x) / 2}
                ry={Math.abs(b.y - a.y) / 2}
              />
            )}
            <text x={labelAt.x} y={labelAt.y} data-testid="measurement-label">
              {label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
