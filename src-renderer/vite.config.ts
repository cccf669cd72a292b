// Build configuration for the renderer. Runs in Node (Vite loads it), not in the renderer: the
// folder's no-Node lint rule is why `import.meta.dirname` is used here instead of node:path.
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = import.meta.dirname;

/**
 * `vite dev` injects inline scripts (React Fast Refresh) that the strict CSP would block, so the
 * dev server drops the CSP meta tag. Production builds keep it.
 */
function devServerWithoutCsp(): Plugin {
  return {
    name: 'neurosphere-dev-server-without-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>/, ''),
  };
}

export default defineConfig({
  root: here,
  // Keep Vite's cache with the project's node_modules, not in a new src-renderer/node_modules.
  cacheDir: `${here}/../node_modules/.vite/renderer`,
  // Relative asset URLs: the same build is served from neurosphere-app://app/ in the desktop app
  // and from the server root in serve mode.
  base: './',
  plugins: [react(), devServerWithoutCsp()],
  build: {
    outDir: `${here}/../dist/renderer`,
    emptyOutDir: true,
    // The desktop app runs Electron 45's Chromium; serve mode targets current browsers.
    target: 'es2022',
    sourcemap: true,
    // Inlined assets would become data: URLs; keep them as files (CSP allows data: images only).
    assetsInlineLimit: 0,
  },
  server: {
    // `vite dev` talks to a serve-mode backend on its default port for the API and events.
    proxy: {
      '/api': { target: 'http://127.0.0.1:7878', ws: true },
    },
  },
});
