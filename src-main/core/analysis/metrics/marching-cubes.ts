// Marching cubes lives in src-shared/mesh, where the renderer's 3D viewer uses it too.
export {
  cellsCrossingLevels,
  marchingCubes,
  type MarchingCubesInput,
  type TriangleMesh,
} from '../../../../src-shared/mesh/marching-cubes.js';
