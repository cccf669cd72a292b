// The standalone scene viewer: bundled on its own (vite.scene-export.config.ts) into one script
// that the core inlines into every HTML scene with the scene's data. No React, no network: the
// data is read from the page itself, and the page's CSP forbids any request.
import {
  isSceneDocument,
  lesionCaption,
  sceneMeshes,
  unpackSceneMeshes,
  type SceneDocument,
} from '../../../src-shared/mesh/scene-document.js';
import { CAMERA_PRESET_NAMES, CAMERA_PRESETS } from '../features/viewer3d/camera-presets.js';
import { headColour, lesionColour, MESH_COLOURS } from '../features/viewer3d/colour-schemes.js';
import { TumourScene } from '../features/viewer3d/scene.js';
import { SCENE_VIEWER_CSS } from './scene-viewer-style.js';

/** Must match src-main/core/visualizations/scene-html.ts. */
const JSON_ID = 'neurosphere-scene';
const MESHES_ID = 'neurosphere-scene-meshes';

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function base64Bytes(text: string): Uint8Array {
  const binary = atob(text.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** gunzip in the browser itself (DecompressionStream): nothing is fetched. */
async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function readDocument(): SceneDocument {
  const json = document.getElementById(JSON_ID)?.textContent ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('The scene description in this file is damaged.');
  }
  if (!isSceneDocument(parsed))
    throw new Error('This file holds no Neurosphere 3D scene this viewer can read.');
  return parsed;
}

function showFailure(root: HTMLElement, message: string): void {
  root.replaceChildren(element('p', { class: 'ns-error', 'data-testid': 'scene-error' }, message));
  document.body.dataset['renderError'] = message;
}

function sidePanel(scene: SceneDocument): HTMLElement {
  const panel = element('aside', { class: 'ns-side' });
  panel.append(element('h2', {}, scene.lesions.length === 1 ? 'Lesion' : 'Lesions'));
  const list = element('ul', { class: 'ns-lesions' });
  scene.lesions.forEach((lesion, n) => {
    const item = element('li', { 'data-testid': 'scene-lesion' });
    const swatch = element('span', { class: 'ns-swatch' });
    swatch.style.background = lesionColour(scene.colorScheme, n);
    item.append(swatch, document.createTextNode(lesionCaption(lesion)));
    list.append(item);
  });
  if (scene.lesions.length === 0) list.append(element('li', {}, 'No lesion in the mask.'));
  panel.append(list);
  if (scene.attachments.length > 0)
    panel.append(
      element(
        'p',
        {},
        `Attached meshes: ${scene.attachments.map((a) => a.name).join(', ')} (in their own coordinates, not registered to the scan)`,
      ),
    );
  const facts = [
    `Tumour from the ${scene.tumourSource}`,
    `Quality: ${scene.quality}`,
    `Colours: ${scene.colorScheme === 'colorblind' ? 'colour-blind safe (Okabe–Ito)' : 'standard'}`,
    `Made ${scene.createdAt.slice(0, 16).replace('T', ' ')} UTC by Neurosphere`,
  ];
  for (const line of [...facts, ...scene.notes]) panel.append(element('p', {}, line));
  panel.append(
    element(
      'p',
      { class: 'ns-hint' },
      'Drag to turn, right-drag to move, wheel to zoom. Volumes from the voxel count; diameters across the surface.',
    ),
  );
  return panel;
}

async function start(): Promise<void> {
  const style = element('style', {}, SCENE_VIEWER_CSS);
  document.head.append(style);
  const root = element('div', { class: 'ns-app' });
  document.body.append(root);
  let scene: SceneDocument;
  let meshes;
  try {
    scene = readDocument();
    const encoded = document.getElementById(MESHES_ID)?.textContent ?? '';
    meshes = unpackSceneMeshes(await gunzip(base64Bytes(encoded)), sceneMeshes(scene));
  } catch (failure) {
    showFailure(root, failure instanceof Error ? failure.message : String(failure));
    return;
  }
  document.title = scene.title;

  const toolbar = element('header', { class: 'ns-toolbar' });
  toolbar.append(element('h1', {}, scene.title));
  const stage = element('div', { class: 'ns-stage', 'data-testid': 'scene-canvas' });
  const overlay = element('div', { class: 'ns-overlay' });
  const body = element('main', { class: 'ns-body' });
  body.append(stage, sidePanel(scene));
  root.append(toolbar, body);

  let view: TumourScene;
  try {
    view = new TumourScene(stage);
  } catch {
    showFailure(
      root,
      'This browser could not start WebGL, which the 3D scene needs. Try a current Chrome, Edge, Firefox or Safari with hardware acceleration on.',
    );
    return;
  }
  stage.append(overlay);

  const lesionMeshes = scene.lesions.map((lesion, n) => ({
    id: lesion.id,
    mesh: meshes[n]!,
    colour: lesionColour(scene.colorScheme, n),
  }));
  view.setLesions(lesionMeshes, scene.highlightTumor);
  const head = scene.head === null ? null : meshes[scene.lesions.length]!;
  view.setHead(head, headColour(scene.colorScheme), scene.highlightTumor);
  const firstAttachment = scene.lesions.length + (head === null ? 0 : 1);
  const attachments = scene.attachments.map((info, n) => ({
    id: `attachment-${n}`,
    name: info.name,
    colour: MESH_COLOURS[n % MESH_COLOURS.length]!,
  }));
  attachments.forEach((a, n) =>
    view.setAttached(a.id, meshes[firstAttachment + n]!, a.colour, true),
  );

  const lesionLabels = scene.lesions.map((lesion) => {
    const label = element(
      'div',
      { class: 'ns-label', 'data-testid': 'scene-lesion-label' },
      lesionCaption(lesion),
    );
    overlay.append(label);
    return { id: lesion.id, label };
  });
  const axisLabels = new Map<string, HTMLElement>();
  view.onRender = () => {
    const labels = view.labels();
    for (const { id, label } of lesionLabels) {
      const at = labels.lesions.find((l) => l.id === id)?.at ?? null;
      label.hidden = at === null;
      if (at === null) continue;
      label.style.transform = `translate(${at.x}px, ${at.y}px)`;
      label.dataset['x'] = at.x.toFixed(1);
      label.dataset['y'] = at.y.toFixed(1);
    }
    for (const { letter, at } of labels.axes) {
      let label = axisLabels.get(letter);
      if (label === undefined) {
        label = element('div', { class: 'ns-axis' }, letter);
        overlay.append(label);
        axisLabels.set(letter, label);
      }
      label.hidden = at === null;
      if (at !== null) label.style.transform = `translate(${at.x}px, ${at.y}px)`;
    }
    stage.dataset['renderCount'] = String(view.renderCount);
  };

  for (const preset of CAMERA_PRESETS) {
    const button = element('button', { type: 'button', 'data-testid': `scene-view-${preset}` });
    button.textContent = CAMERA_PRESET_NAMES[preset];
    button.addEventListener('click', () => view.view(preset));
    toolbar.append(button);
  }
  if (head !== null) {
    const toggle = element('label', { class: 'ns-check' });
    const box = element('input', { type: 'checkbox', 'data-testid': 'scene-head' });
    box.checked = true;
    box.addEventListener('change', () => view.setHeadVisible(box.checked));
    toggle.append(box, document.createTextNode(' Head'));
    toolbar.append(toggle);
  }
  for (const attachment of attachments) {
    const toggle = element('label', { class: 'ns-check' });
    const box = element('input', { type: 'checkbox', 'data-testid': 'scene-attachment' });
    box.checked = true;
    box.addEventListener('change', () =>
      view.setAttached(attachment.id, null, attachment.colour, box.checked),
    );
    toggle.append(box, document.createTextNode(` ${attachment.name}`));
    toolbar.append(toggle);
  }
  const turn = element('button', { type: 'button', 'data-testid': 'scene-turn' }, 'Turn');
  let isTurning = false;
  turn.addEventListener('click', () => {
    isTurning = !isTurning;
    turn.setAttribute('aria-pressed', String(isTurning));
    view.setSpinning(isTurning);
  });
  toolbar.append(turn);

  new ResizeObserver(() => view.resize()).observe(stage);
  // view() frames everything and draws at once: the render-done signal follows a real frame.
  view.view('anterior');
  stage.dataset['renderDone'] = 'true';
  document.body.dataset['renderDone'] = 'true';
}

void start();
