import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  meshInfo,
  sceneMeshes,
  unpackSceneMeshes,
  type SceneDocument,
} from '../../../src-shared/mesh/scene-document.js';
import {
  jsonForScript,
  SCENE_CSP,
  SCENE_JSON_ID,
  SCENE_MESHES_ID,
  sceneHtml,
  scriptSafe,
} from './scene-html.js';

const lesion = {
  positions: new Float32Array([0, 0, 0, 10, 0, 0, 0, 10, 0, 0, 0, 10]),
  indices: new Uint32Array([0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3]),
};

const document: SceneDocument = {
  format: 'neurosphere-3d-scene',
  version: 1,
  title: 'Tumour <scene> & "head"',
  createdAt: '2024-03-01T08:00:00.000Z',
  quality: 'high',
  highlightTumor: false,
  colorScheme: 'standard',
  tumourSource: 'label map',
  lesions: [
    { id: 1, volumeMl: 0.2, maxDiameterMm: 14.1, centre: [2.5, 2.5, 2.5], ...meshInfo(lesion) },
  ],
  head: null,
  attachments: [],
  // Text that would end the JSON's script element if it were not escaped.
  notes: ['A note with </script><script>alert(1)</script> and <!-- inside'],
};

/** The text content of the element with this id (a script element's body). */
function scriptBody(html: string, id: string): string {
  const match = new RegExp(`<script[^>]*id="${id}"[^>]*>([\\s\\S]*?)</script>`).exec(html);
  if (match === null) throw new Error(`no element ${id}`);
  return match[1]!;
}

describe('the HTML scene file', () => {
  const viewer = 'window.viewerRan = "</script>";';
  const html = sceneHtml(document, [lesion], viewer);

  it('is one self-contained page: nothing it could load, and a CSP that forbids any request', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`content="${SCENE_CSP}"`);
    expect(SCENE_CSP).toMatch(/^default-src 'none';/);
    expect(SCENE_CSP).not.toMatch(/connect-src|https?:/);
    // No attribute that names another resource.
    expect(html).not.toMatch(/\s(src|href|srcset|poster|data)\s*=/i);
    expect(html).not.toMatch(/<(link|iframe|img|object|embed|base)\b/i);
    // Exactly three scripts: the JSON, the meshes and the viewer; no early end of any.
    expect(html.match(/<script\b/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });

  it('carries the scene description and its meshes, which read back exactly', () => {
    const parsed = JSON.parse(scriptBody(html, SCENE_JSON_ID)) as SceneDocument;
    expect(parsed).toEqual(JSON.parse(JSON.stringify(document)));
    const bytes = gunzipSync(Buffer.from(scriptBody(html, SCENE_MESHES_ID), 'base64'));
    const [mesh] = unpackSceneMeshes(new Uint8Array(bytes), sceneMeshes(parsed));
    expect(Array.from(mesh!.positions)).toEqual(Array.from(lesion.positions));
    expect(Array.from(mesh!.indices)).toEqual(Array.from(lesion.indices));
  });

  it('escapes the title and keeps the viewer script intact in meaning', () => {
    expect(html).toContain('<title>Tumour &#60;scene&#62; &#38; &#34;head&#34;</title>');
    expect(html).toContain('<script>window.viewerRan = "<\\/script>";</script>');
    expect(scriptSafe('a </SCRIPT b')).toBe('a <\\/SCRIPT b');
    const json = jsonForScript({ s: '</script> <!-- x' });
    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual({ s: '</script> <!-- x' });
  });
});
