import { buildPointTree, NODE_SHAPE, type PointTree } from './point-tree.js';
import type { Vec3 } from './types.js';

/** The largest distance between two points of a set, and the two points that realise it. */
export interface FeretDiameter {
  /** In the points' units (mm for mesh vertices in mm). */
  diameter: number;
  endpoints: [Vec3, Vec3];
}

/** Points per leaf: brute force below this size is cheaper than more splitting. */
const LEAF_SIZE = 16;

type Points = Float32Array | Float64Array;

/**
 * Maximum Feret diameter of a point set (flat x, y, z triples), exact. Branch and bound over
 * pairs of k-d tree nodes: a pair is opened only if its points could lie farther apart than the
 * best pair so far, which a double-normal walk (the farthest point from the farthest point…)
 * seeds close to the answer. A convex hull would not help the hardest case, a sphere, whose every
 * vertex is on the hull; the slab bound (see `pairReach2`) does.
 */
export function maxFeretDiameter(points: Points): FeretDiameter {
  const count = Math.floor(points.length / 3);
  const pointAt = (i: number): Vec3 => [points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!];
  if (count < 2) {
    const only: Vec3 = count === 1 ? pointAt(0) : [0, 0, 0];
    return { diameter: 0, endpoints: [only, only] };
  }
  let best = doubleNormalWalk(points, count);
  const tree = buildPointTree(points, LEAF_SIZE);
  const { order, start, end, left, right } = tree;
  const isLeaf = (node: number): boolean => left[node] === 0;

  const stack: number[] = [0, 0];
  while (stack.length > 0) {
    const b = stack.pop()!;
    const a = stack.pop()!;
    if (a !== b && pairReach2(points, tree, a, b, best.d2) <= best.d2) continue;
    if (a === b && selfReach2(tree, a) <= best.d2) continue;
    if (isLeaf(a) && isLeaf(b)) {
      for (let p = start[a]!; p < end[a]!; p++) {
        const i = order[p]!;
        for (let q = a === b ? p + 1 : start[b]!; q < end[b]!; q++) {
          const j = order[q]!;
          const d2 = distance2(points, i, j);
          if (d2 > best.d2) best = { d2, i, j };
        }
      }
    } else if (a === b) {
      stack.push(left[a]!, left[a]!, right[a]!, right[a]!, left[a]!, right[a]!);
    } else if (isLeaf(a)) {
      stack.push(a, left[b]!, a, right[b]!);
    } else if (isLeaf(b)) {
      stack.push(left[a]!, b, right[a]!, b);
    } else {
      const [al, ar, bl, br] = [left[a]!, right[a]!, left[b]!, right[b]!];
      stack.push(al, bl, al, br, ar, bl, ar, br);
    }
  }
  return { diameter: Math.sqrt(best.d2), endpoints: [pointAt(best.i), pointAt(best.j)] };
}

function distance2(points: Points, i: number, j: number): number {
  const dx = points[3 * i]! - points[3 * j]!;
  const dy = points[3 * i + 1]! - points[3 * j + 1]!;
  const dz = points[3 * i + 2]! - points[3 * j + 2]!;
  return dx * dx + dy * dy + dz * dz;
}

/** Each step can only lengthen the pair; four steps rarely leave anything to gain. */
function doubleNormalWalk(points: Points, count: number): { d2: number; i: number; j: number } {
  let best = { d2: 0, i: 0, j: 0 };
  let from = 0;
  for (let walk = 0; walk < 4; walk++) {
    let far = from;
    let farD2 = -1;
    for (let j = 0; j < count; j++) {
      const d2 = distance2(points, from, j);
      if (d2 > farD2) [far, farD2] = [j, d2];
    }
    if (farD2 <= best.d2) break;
    best = { d2: farD2, i: from, j: far };
    from = far;
  }
  return best;
}

/** Two points of one node are at most its box diagonal apart. */
function selfReach2(tree: PointTree, node: number): number {
  const b = 6 * node;
  const { bounds } = tree;
  const [sx, sy, sz] = [
    bounds[b + 3]! - bounds[b]!,
    bounds[b + 4]! - bounds[b + 1]!,
    bounds[b + 5]! - bounds[b + 2]!,
  ];
  return sx * sx + sy * sy + sz * sz;
}

/**
 * An upper bound on the squared distance between a point of node a and one of node b, as tight
 * as needed to compare with `best2`: first the boxes' farthest corners (exact for boxes, loose by
 * a patch's width for a patch), then the slabs. With slab centres cA, cB at distance D along u,
 * p = cA + α and q = cB + β:
 *   |p - q|² = D² + 2D u·(α - β) + |α - β|² ≤ D² + 2D (max u·α + max -u·β) + (rA + rB)²,
 * and max u·α ≤ thickness·|u·n| + spread·sqrt(1 - (u·n)²). For two nearly opposite patches of a
 * round surface u is close to both normals, so this is loose only to second order. Two leaves
 * then get the exact support of their few points instead of the slab's.
 */
function pairReach2(points: Points, tree: PointTree, a: number, b: number, best2: number): number {
  const { bounds, shape, left } = tree;
  const [ba, bb] = [6 * a, 6 * b];
  const sx = Math.max(bounds[ba + 3]! - bounds[bb]!, bounds[bb + 3]! - bounds[ba]!);
  const sy = Math.max(bounds[ba + 4]! - bounds[bb + 1]!, bounds[bb + 4]! - bounds[ba + 1]!);
  const sz = Math.max(bounds[ba + 5]! - bounds[bb + 2]!, bounds[bb + 5]! - bounds[ba + 2]!);
  const boxBound = sx * sx + sy * sy + sz * sz;
  if (boxBound <= best2) return boxBound;

  const [sa, sb] = [NODE_SHAPE * a, NODE_SHAPE * b];
  const dx = shape[sa]! - shape[sb]!;
  const dy = shape[sa + 1]! - shape[sb + 1]!;
  const dz = shape[sa + 2]! - shape[sb + 2]!;
  const distance = Math.sqrt(dx * dx + dy * dy + dz * dz);
  const spread = (shape[sa + 8]! + shape[sb + 8]!) ** 2;
  if (distance === 0) return Math.min(boxBound, spread);
  const [ux, uy, uz] = [dx / distance, dy / distance, dz / distance];
  const slabBound =
    distance * distance +
    2 * distance * (slabSupport(shape, sa, ux, uy, uz) + slabSupport(shape, sb, ux, uy, uz)) +
    spread;
  if (slabBound <= best2 || left[a] !== 0 || left[b] !== 0) return Math.min(boxBound, slabBound);
  const outward =
    pointSupport(points, tree, a, ux, uy, uz) + pointSupport(points, tree, b, -ux, -uy, -uz);
  return distance * distance + 2 * distance * outward + spread;
}

/** Bound on max |u·α| over a node's slab (u a unit vector). */
function slabSupport(shape: Float64Array, s: number, ux: number, uy: number, uz: number): number {
  const cos = Math.abs(ux * shape[s + 3]! + uy * shape[s + 4]! + uz * shape[s + 5]!);
  const slab = shape[s + 6]! * cos + shape[s + 7]! * Math.sqrt(Math.max(0, 1 - cos * cos));
  return Math.min(shape[s + 8]!, slab);
}

/** max u·(p - centre) over the node's points: exact, for leaves. */
function pointSupport(
  points: Points,
  tree: PointTree,
  node: number,
  ux: number,
  uy: number,
  uz: number,
): number {
  const { shape, order, start, end } = tree;
  const s = NODE_SHAPE * node;
  const [cx, cy, cz] = [shape[s]!, shape[s + 1]!, shape[s + 2]!];
  let most = -Infinity;
  for (let p = start[node]!; p < end[node]!; p++) {
    const i = 3 * order[p]!;
    const along = ux * (points[i]! - cx) + uy * (points[i + 1]! - cy) + uz * (points[i + 2]! - cz);
    if (along > most) most = along;
  }
  return most;
}
