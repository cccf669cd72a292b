import { z } from 'zod';
import type { Vector3 } from './vector.js';

/** A Vector3 on the wire (the contract's origins, directions, sizes, positions). */
export const vector3Schema = z.tuple([
  z.number(),
  z.number(),
  z.number(),
]) satisfies z.ZodType<Vector3>;
