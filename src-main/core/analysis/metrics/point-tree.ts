import type { Vector3, ReadonlyVector3 } from '../../../../src-shared/geometry/vector.js';
/**
 * A k-d tree over 3D points whose nodes carry two bounding volumes: an axis-aligned box, and a
 * "slab" (a disc of radius `spread` and half-thickness `thickness` around `normal`). On a closed,
 * roughly round surface the points of a node form a curved patch facing away from the centre of
 * the whole set, so a slab whose normal points from that centre to the node is thin; distance
 * bounds built on it are much tighter than on the box (see feret-diameter.ts).
 */
export interface PointTree {
  /** Point numbers, reordered so that each node's points are contiguous: start..end. */
  order: Uint32Array;
  start: Uint32Array;
  end: Uint32Array;
  /** Child node numbers; 0 for a leaf (the root is node 0 and never a child). */
  left: Uint32Array;
  right: Uint32Array;
  /** Per node: minX, minY, minZ, maxX, maxY, maxZ. */
  bounds: Float64Array;
  /** Per node, NODE_SHAPE values: centre (3), normal (3), thickness, spread, radius. */
  shape: Float64Array;
}

/** Values per node in `PointTree.shape`. */
export const NODE_SHAPE = 9;

/**
 * Splits the points (flat x, y, z triples) at the middle of their box's longest side until at most
 * `leafSize` remain. Iterative; memory is linear in the number of points.
 */
export function buildPointTree(points: Float32Array | Float64Array, leafSize: number): PointTree {
  const count = Math.floor(points.length / 3);
  // A binary tree whose leaves are non-empty has fewer than 2 × count nodes.
  const maxNodes = Math.max(1, 2 * count);
  const tree: PointTree = {
    order: new Uint32Array(count),
    start: new Uint32Array(maxNodes),
    end: new Uint32Array(maxNodes),
    left: new Uint32Array(maxNodes),
    right: new Uint32Array(maxNodes),
    bounds: new Float64Array(6 * maxNodes),
    shape: new Float64Array(NODE_SHAPE * maxNodes),
  };
  const { order, bounds } = tree;
  for (let i = 0; i < count; i++) order[i] = i;
  let nodeCount = 1;
  tree.end[0] = count;
  const pending = [0];
  let centreOfAll: Vector3 = [0, 0, 0];
  while (pending.length > 0) {
    const node = pending.pop()!;
    const from = tree.start[node]!;
    const to = tree.end[node]!;
    let [minX, minY, minZ] = [Infinity, Infinity, Infinity];
    let [maxX, maxY, maxZ] = [-Infinity, -Infinity, -Infinity];
    for (let p = from; p < to; p++) {
      const i = 3 * order[p]!;
      const [x, y, z] = [points[i]!, points[i + 1]!, points[i + 2]!];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      if (z < minZ) minZ = z;
      if (z > maxZ) maxZ = z;
    }
    bounds.set([minX, minY, minZ, maxX, maxY, maxZ], 6 * node);
    if (node === 0) centreOfAll = [(minX + maxX) / 2, (minY + maxY) / 2, (minZ + maxZ) / 2];
    describeSlab(points, tree, node, centreOfAll);
    if (to - from <= leafSize) continue;
    const sides = [maxX - minX, maxY - minY, maxZ - minZ];
    const axis = sides.indexOf(Math.max(...sides));
    if (sides[axis]! === 0) continue; // identical points: nothing to split
    const middle = (bounds[6 * node + axis]! + bounds[6 * node + 3 + axis]!) / 2;
    let split = from;
    for (let p = from; p < to; p++) {
      const point = order[p]!;
      if (points[3 * point + axis]! < middle) {
        order[p] = order[split]!;
        order[split] = point;
        split++;
      }
    }
    // Both halves are non-empty unless rounding put the middle on the minimum: halve by count.
    if (split === from || split === to) split = (from + to) >>> 1;
    const [low, high] = [nodeCount, nodeCount + 1];
    nodeCount += 2;
    tree.left[node] = low;
    tree.right[node] = high;
    [tree.start[low], tree.end[low], tree.start[high], tree.end[high]] = [from, split, split, to];
    pending.push(low, high);
  }
  return tree;
}

/** Fills the node's slab: centre = box centre, normal = away from the centre of all points. */
function describeSlab(
  points: Float32Array | Float64Array,
  tree: PointTree,
  node: number,
  centreOfAll: ReadonlyVector3,
): void {
  const b = 6 * node;
  const { bounds } = tree;
  const cx = (bounds[b]! + bounds[b + 3]!) / 2;
  const cy = (bounds[b + 1]! + bounds[b + 4]!) / 2;
  const cz = (bounds[b + 2]! + bounds[b + 5]!) / 2;
  let [nx, ny, nz] = [cx - centreOfAll[0], cy - centreOfAll[1], cz - centreOfAll[2]];
  const length = Math.sqrt(nx * nx + ny * ny + nz * nz);
  // Any unit normal gives valid bounds; this one gives tight ones on round surfaces.
  if (length > 0) [nx, ny, nz] = [nx / length, ny / length, nz / length];
  else [nx, ny, nz] = [0, 0, 1];
  let thickness = 0;
  let spread2 = 0;
  let radius2 = 0;
  for (let p = tree.start[node]!; p < tree.end[node]!; p++) {
    const i = 3 * tree.order[p]!;
    const ax = points[i]! - cx;
    const ay = points[i + 1]! - cy;
    const az = points[i + 2]! - cz;
    const along = ax * nx + ay * ny + az * nz;
    const r2 = ax * ax + ay * ay + az * az;
    if (Math.abs(along) > thickness) thickness = Math.abs(along);
    if (r2 - along * along > spread2) spread2 = r2 - along * along;
    if (r2 > radius2) radius2 = r2;
  }
  tree.shape.set(
    [cx, cy, cz, nx, ny, nz, thickness, Math.sqrt(spread2), Math.sqrt(radius2)],
    NODE_SHAPE * node,
  );
}
