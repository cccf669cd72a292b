// Build configuration for the standalone 3D scene viewer (docs/html-export.md): one classic
// script (IIFE, no imports, no chunks, no source map) with three.js and its orbit controls,
// which the core inlines into every exported HTML scene. Runs in Node (Vite loads it).
import { defineConfig } from 'vite';

const here = import.meta.dirname;

export default defineConfig({
  root: here,
  cacheDir: `${here}/../node_modules/.vite/scene-export`,
  publicDir: false,
  build: {
    outDir: `${here}/../dist/scene-export`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    minify: true,
    lib: {
      entry: `${here}/src/scene-export/scene-viewer.ts`,
      formats: ['iife'],
      name: 'NeurosphereSceneViewer',
      fileName: () => 'scene-viewer.js',
    },
  },
});
