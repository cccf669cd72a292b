// Mesh measures live in src-shared/mesh, where the renderer's 3D viewer uses them too.
export { meshEnclosedVolume, meshSurfaceArea } from '../../../../src-shared/mesh/mesh-measures.js';
