import type { ImagePoint, Measurement } from './measurements.js';

export interface DrawnMeasurement {
  readonly measurement: Pick<Measurement, 'id' | 'kind' | 'points'>;
  readonly label: string;
}

/** How close (screen pixels) the pointer must be to a point to grab its handle. */
export const HANDLE_RADIUS = 7;

/** The head of an arrow from `tail` to `head`: two short strokes back from the tip. */
function arrowHead(tail: ImagePoint, head: ImagePoint): string {
  const angle = Math.atan2(head.y - tail.y, head.x - tail.x);
  const size = 12;
  const wing = (offset: number): string =>
    `${head.x - size * Math.cos(angle + offset)},${head.y - size * Math.sin(angle + offset)}`;
  return `${wing(0.45)} ${head.x},${head.y} ${wing(-0.45)}`;
}

function Shape({ kind, at }: { kind: Measurement['kind']; at: readonly ImagePoint[] }) {
  const [a, b, c] = at as [ImagePoint, ImagePoint, ImagePoint | undefined];
  switch (kind) {
    case 'length':
      return <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} />;
    case 'ellipse':
      return (
        <ellipse
          cx={(a.x + b.x) / 2}
          cy={(a.y + b.y) / 2}
          rx={Math.abs(b.x - a.x) / 2}
          ry={Math.abs(b.y - a.y) / 2}
        />
      );
    case 'angle':
      return (
        <polyline
          points={[a, b, ...(c === undefined ? [] : [c])].map((p) => `${p.x},${p.y}`).join(' ')}
        />
      );
    case 'arrow':
      return (
        <>
          <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} />
          <polyline points={arrowHead(a, b)} />
        </>
      );
  }
}

/**
 * Lengths, ellipses, angles and arrows over the image, redrawn from image coordinates on every
 * render so they stay on the anatomy through zoom, pan, rotation and flips. The selected one is
 * highlighted and shows its handles (drag them to edit).
 */
export function MeasurementLayer({
  drawn,
  toCanvas,
  selectedId,
  testId,
}: {
  drawn: readonly DrawnMeasurement[];
  toCanvas: (point: ImagePoint) => ImagePoint | null;
  selectedId: string | null;
  testId: string;
}) {
  return (
    <svg className="measurement-layer" aria-hidden="true" data-testid={testId}>
      {drawn.map(({ measurement, label }) => {
        const at = measurement.points.map(toCanvas);
        if (at.length < 2 || at.some((p) => p === null)) return null;
        const points = at as ImagePoint[];
        const isSelected = measurement.id === selectedId;
        // Arrow text sits at the tail (the head points at the finding); others at the right end.
        const labelAt =
          measurement.kind === 'arrow'
            ? { x: points[0]!.x + 6, y: points[0]!.y - 6 }
            : {
                x: Math.max(...points.map((p) => p.x)) + 6,
                y: Math.min(...points.map((p) => p.y)) - 6,
              };
        return (
          <g
            key={measurement.id}
            className={`measurement${isSelected ? ' selected' : ''}`}
            data-kind={measurement.kind}
            data-measurement-id={measurement.id}
          >
            <Shape kind={measurement.kind} at={points} />
            {(isSelected || measurement.kind === 'length' || measurement.kind === 'angle') &&
              points.map((p, i) => (
                <circle key={i} cx={p.x} cy={p.y} r={isSelected ? 4.5 : 3} className="handle" />
              ))}
            <text x={labelAt.x} y={labelAt.y} data-testid="measurement-label">
              {label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
