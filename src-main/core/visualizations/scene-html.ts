import { gzipSync } from 'node:zlib';
import type { TriangleMesh } from '../../../src-shared/mesh/marching-cubes.js';
import { packSceneMeshes, type SceneDocument } from '../../../src-shared/mesh/scene-document.js';

/** Element ids the viewer bundle reads its data from (src-renderer/src/scene-export). */
export const SCENE_JSON_ID = 'neurosphere-scene';
export const SCENE_MESHES_ID = 'neurosphere-scene-meshes';

/**
 * Nothing may be fetched: no default source at all; inline scripts and styles only; the mesh
 * bytes are decoded from the page itself (blob: for the decompression stream). A viewer change
 * that tried to load anything would be blocked here, not only in the offline test.
 */
export const SCENE_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:";

/**
 * Script text that may sit inside a <script> element: no "</script" that would end it early
 * ("<\/" means "</" in a JavaScript string or regular expression).
 */
export function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1');
}

/** JSON for a <script> element: "<" written as \u003c, so no text in it can end or bend it. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * One self-contained HTML file: the scene's description (JSON), its meshes (gzip, base64) and
 * the viewer script, all inline. It opens from a file in any current browser without network.
 */
export function sceneHtml(
  document: SceneDocument,
  meshes: readonly TriangleMesh[],
  viewerScript: string,
): string {
  const packed = gzipSync(packSceneMeshes(meshes), { level: 9 });
  const json = jsonForScript(document);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${SCENE_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Neurosphere">
<title>${escapeHtml(document.title)}</title>
</head>
<body>
<noscript>This 3D scene needs JavaScript.</noscript>
<script type="application/json" id="${SCENE_JSON_ID}">${json}</script>
<script type="application/octet-stream" id="${SCENE_MESHES_ID}" data-encoding="gzip+base64">${Buffer.from(packed).toString('base64')}</script>
<script>${scriptSafe(viewerScript)}</script>
</body>
</html>
`;
}
