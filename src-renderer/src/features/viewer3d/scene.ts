import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { AXIS_LETTERS, CAMERA_VIEWS, type CameraPreset } from './camera-presets.js';

/** A mesh to show: patient-space positions (mm) and triangle indices. */
export interface MeshData {
  readonly positions: Float32Array;
  readonly indices: Uint32Array;
}

export type ClipAxis = 'none' | 'axial' | 'coronal' | 'sagittal';

/** The patient axis each clipping plane cuts across (LPS). */
const CLIP_NORMALS: Readonly<Record<Exclude<ClipAxis, 'none'>, THREE.Vector3>> = {
  // Keep what lies below (inferior to) an axial cut, behind a coronal one, right of a sagittal one.
  axial: new THREE.Vector3(0, 0, -1),
  coronal: new THREE.Vector3(0, 1, 0),
  sagittal: new THREE.Vector3(-1, 0, 0),
};
const CLIP_AXIS_INDEX = { axial: 2, coronal: 1, sagittal: 0 } as const;

/** A point on screen (CSS pixels in the canvas) for an overlay label, or null when behind. */
export interface ScreenPoint {
  readonly x: number;
  readonly y: number;
}

export interface SceneLabels {
  readonly axes: ReadonlyArray<{ letter: string; at: ScreenPoint | null }>;
  readonly lesions: ReadonlyArray<{ id: number; at: ScreenPoint | null }>;
  readonly measurement: ScreenPoint | null;
}

function geometryOf(mesh: MeshData): THREE.BufferGeometry {
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(mesh.positions, 3));
  geometry.setIndex(new THREE.BufferAttribute(mesh.indices, 1));
  geometry.computeVertexNormals();
  geometry.computeBoundingBox();
  return geometry;
}

/**
 * The three.js side of the 3D view: renderer, camera with orbit controls, a headlight, and the
 * objects (lesions, head, attached meshes, a distance). Renders on demand (after a change or a
 * camera move) rather than every animation frame, except while turning; `onRender` lets the page
 * move its DOM labels after each frame.
 */
export class TumourScene {
  readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera = new THREE.PerspectiveCamera(30, 1, 1, 5000);
  private readonly controls: OrbitControls;
  private readonly lesions = new Map<number, THREE.Mesh>();
  private readonly attached = new Map<string, THREE.Mesh>();
  private head: THREE.Mesh | null = null;
  private readonly clipPlane = new THREE.Plane(new THREE.Vector3(0, 0, -1), 0);
  private clipAxis: ClipAxis = 'none';
  private clipLesions = false;
  private readonly measureGroup = new THREE.Group();
  private measurePoints: THREE.Vector3[] = [];
  private frame = 0;
  private isSpinning = false;
  private spinFrames: number[] = [];
  private isDisposed = false;
  renderCount = 0;
  onRender: (() => void) | null = null;

  constructor(private readonly host: HTMLElement) {
    this.renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(2, window.devicePixelRatio));
    this.renderer.localClippingEnabled = true;
    this.renderer.setClearColor('#101418');
    host.appendChild(this.renderer.domElement);
    this.camera.up.set(0, 0, 1);
    this.scene.add(this.camera);
    this.scene.add(new THREE.AmbientLight('#ffffff', 0.55));
    const headlight = new THREE.DirectionalLight('#ffffff', 1.6);
    headlight.position.set(0.3, 0.5, 1);
    this.camera.add(headlight);
    this.scene.add(this.measureGroup);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.enableDamping = false;
    this.controls.addEventListener('change', () => this.requestRender());
    this.resize();
  }

  resize(): void {
    const width = Math.max(1, this.host.clientWidth);
    const height = Math.max(1, this.host.clientHeight);
    this.renderer.setSize(width, height);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    // setSize clears the canvas: draw at once, or a busy page shows it empty until the next frame.
    if (!this.isDisposed) this.renderNow();
  }

  /** Renders once on the next animation frame (many changes in one task draw once). */
  requestRender(): void {
    if (this.frame !== 0 || this.isDisposed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderNow();
    });
  }

  renderNow(): void {
    if (this.isSpinning) {
      this.controls.update();
      this.spinFrames.push(performance.now());
    }
    this.renderer.render(this.scene, this.camera);
    this.renderCount++;
    this.onRender?.();
    if (this.isSpinning) this.requestRender();
  }

  setLesions(
    lesions: ReadonlyArray<{ id: number; mesh: MeshData; colour: string }>,
    highlight: boolean,
  ): void {
    for (const mesh of this.lesions.values()) this.remove(mesh);
    this.lesions.clear();
    for (const lesion of lesions) {
      const material = new THREE.MeshPhongMaterial({ side: THREE.DoubleSide, shininess: 40 });
      const mesh = new THREE.Mesh(geometryOf(lesion.mesh), material);
      mesh.userData['kind'] = 'lesion';
      this.lesions.set(lesion.id, mesh);
      this.scene.add(mesh);
    }
    this.styleLesions(lesions, highlight);
  }

  /** Colours and emphasis of the lesions (colour scheme, highlightTumor) without re-meshing. */
  styleLesions(lesions: ReadonlyArray<{ id: number; colour: string }>, highlight: boolean): void {
    for (const { id, colour } of lesions) {
      const material = this.lesions.get(id)?.material as THREE.MeshPhongMaterial | undefined;
      if (material === undefined) continue;
      material.color.set(colour);
      material.emissive.set(highlight ? colour : '#000000');
      material.emissiveIntensity = highlight ? 0.35 : 0;
      material.clippingPlanes = this.clipLesions ? this.activePlanes() : [];
    }
    if (this.head !== null) this.styleHead(null, highlight);
    this.requestRender();
  }

  setHead(mesh: MeshData | null, colour: string, highlight: boolean): void {
    if (this.head !== null) this.remove(this.head);
    this.head = null;
    if (mesh === null) {
      this.requestRender();
      return;
    }
    const material = new THREE.MeshPhongMaterial({
      side: THREE.DoubleSide,
      transparent: true,
      depthWrite: false,
      shininess: 10,
    });
    this.head = new THREE.Mesh(geometryOf(mesh), material);
    this.head.userData['kind'] = 'head';
    this.scene.add(this.head);
    this.styleHead(colour, highlight);
  }

  /** With highlightTumor the head is a faint veil; without it, a clearer surface. */
  styleHead(colour: string | null, highlight: boolean): void {
    if (this.head === null) return;
    const material = this.head.material as THREE.MeshPhongMaterial;
    if (colour !== null) material.color.set(colour);
    material.opacity = highlight ? 0.18 : 0.5;
    material.clippingPlanes = this.activePlanes();
    material.needsUpdate = true;
    this.requestRender();
  }

  setHeadVisible(isVisible: boolean): void {
    if (this.head !== null) this.head.visible = isVisible;
    this.requestRender();
  }

  setAttached(id: string, mesh: MeshData | null, colour: string, isVisible: boolean): void {
    let object = this.attached.get(id);
    if (object === undefined && mesh !== null) {
      object = new THREE.Mesh(
        geometryOf(mesh),
        new THREE.MeshPhongMaterial({ side: THREE.DoubleSide, shininess: 30 }),
      );
      object.userData['kind'] = 'attachment';
      this.attached.set(id, object);
      this.scene.add(object);
    }
    if (object === undefined) return;
    (object.material as THREE.MeshPhongMaterial).color.set(colour);
    (object.material as THREE.MeshPhongMaterial).clippingPlanes = this.activePlanes();
    object.visible = isVisible;
    this.requestRender();
  }

  /** Bounds of what is visible (or of everything when nothing is), for framing and clipping. */
  bounds(): THREE.Box3 {
    const box = new THREE.Box3();
    const objects = [this.head, ...this.lesions.values(), ...this.attached.values()].filter(
      (o): o is THREE.Mesh => o !== null && o.visible,
    );
    for (const object of objects) box.expandByObject(object);
    if (box.isEmpty()) box.set(new THREE.Vector3(-50, -50, -50), new THREE.Vector3(50, 50, 50));
    return box;
  }

  /** Looks at everything from a standard side, far enough for it all to fit. */
  view(preset: CameraPreset): void {
    const box = this.bounds();
    const centre = box.getCenter(new THREE.Vector3());
    const radius = box.getSize(new THREE.Vector3()).length() / 2;
    const distance = (radius / Math.sin(THREE.MathUtils.degToRad(this.camera.fov / 2))) * 1.05;
    const { from, up } = CAMERA_VIEWS[preset];
    this.camera.up.set(...up);
    this.camera.position.copy(centre).addScaledVector(new THREE.Vector3(...from), distance);
    this.camera.near = Math.max(0.1, distance - 2 * radius);
    this.camera.far = distance + 2 * radius;
    this.camera.updateProjectionMatrix();
    this.controls.target.copy(centre);
    this.controls.update();
    // Drawn now, so that the page's render-done signal (set after framing) follows a real frame.
    this.renderNow();
  }

  /** Turns the view a little around the vertical screen axis (keyboard, tests). */
  orbit(degrees: number): void {
    const offset = this.camera.position.clone().sub(this.controls.target);
    offset.applyAxisAngle(this.camera.up, THREE.MathUtils.degToRad(degrees));
    this.camera.position.copy(this.controls.target).add(offset);
    this.camera.lookAt(this.controls.target);
    this.controls.update();
    this.requestRender();
  }

  setSpinning(isSpinning: boolean): void {
    this.isSpinning = isSpinning;
    this.controls.autoRotate = isSpinning;
    this.controls.autoRotateSpeed = 6;
    this.spinFrames = [];
    this.requestRender();
  }

  /** Frames per second over the last two seconds of turning (null when not turning). */
  spinFps(): number | null {
    const now = performance.now();
    this.spinFrames = this.spinFrames.filter((t) => now - t < 2000);
    if (!this.isSpinning || this.spinFrames.length < 2) return null;
    const span = this.spinFrames[this.spinFrames.length - 1]! - this.spinFrames[0]!;
    return span > 0 ? ((this.spinFrames.length - 1) * 1000) / span : null;
  }

  /** A cut through the head (and the lesions when asked) at `fraction` of its extent. */
  setClip(axis: ClipAxis, fraction: number, clipLesions: boolean): void {
    this.clipAxis = axis;
    this.clipLesions = clipLesions;
    if (axis !== 'none') {
      const box = this.bounds();
      const index = CLIP_AXIS_INDEX[axis];
      const at =
        box.min.getComponent(index) +
        fraction * (box.max.getComponent(index) - box.min.getComponent(index));
      const normal = CLIP_NORMALS[axis];
      const point = new THREE.Vector3().setComponent(index, at);
      this.clipPlane.setFromNormalAndCoplanarPoint(normal, point);
    }
    const planes = this.activePlanes();
    if (this.head !== null) (this.head.material as THREE.Material).clippingPlanes = planes;
    for (const mesh of this.attached.values())
      (mesh.material as THREE.Material).clippingPlanes = planes;
    for (const mesh of this.lesions.values())
      (mesh.material as THREE.Material).clippingPlanes = clipLesions ? planes : [];
    this.requestRender();
  }

  private activePlanes(): THREE.Plane[] {
    return this.clipAxis === 'none' ? [] : [this.clipPlane];
  }

  /** The surface point under a canvas position (CSS pixels), or null. */
  pick(x: number, y: number): THREE.Vector3 | null {
    const canvas = this.renderer.domElement;
    const ndc = new THREE.Vector2(
      (x / canvas.clientWidth) * 2 - 1,
      -(y / canvas.clientHeight) * 2 + 1,
    );
    const raycaster = new THREE.Raycaster();
    raycaster.setFromCamera(ndc, this.camera);
    const targets = [...this.lesions.values(), ...this.attached.values(), this.head].filter(
      (o): o is THREE.Mesh => o !== null && o.visible,
    );
    const planes = this.activePlanes();
    const hit = raycaster
      .intersectObjects(targets, false)
      .find((h) =>
        planes.every((plane) => plane.distanceToPoint(h.point) >= 0 || !this.isClipped(h.object)),
      );
    return hit?.point ?? null;
  }

  private isClipped(object: THREE.Object3D): boolean {
    return object.userData['kind'] !== 'lesion' || this.clipLesions;
  }

  /** Adds a measurement point; the second one completes a distance (mm). A third starts anew. */
  addMeasurePoint(point: THREE.Vector3): number | null {
    if (this.measurePoints.length >= 2) this.clearMeasurement();
    this.measurePoints.push(point.clone());
    const marker = new THREE.Mesh(
      new THREE.SphereGeometry(this.bounds().getSize(new THREE.Vector3()).length() / 250 + 0.5),
      new THREE.MeshBasicMaterial({ color: '#00e5ff', depthTest: false }),
    );
    marker.renderOrder = 10;
    marker.position.copy(point);
    this.measureGroup.add(marker);
    let distance: number | null = null;
    if (this.measurePoints.length === 2) {
      const [a, b] = this.measurePoints as [THREE.Vector3, THREE.Vector3];
      const line = new THREE.Line(
        new THREE.BufferGeometry().setFromPoints([a, b]),
        new THREE.LineBasicMaterial({ color: '#00e5ff', depthTest: false }),
      );
      line.renderOrder = 10;
      this.measureGroup.add(line);
      distance = a.distanceTo(b);
    }
    this.requestRender();
    return distance;
  }

  clearMeasurement(): void {
    for (const child of [...this.measureGroup.children]) {
      this.measureGroup.remove(child);
      this.disposeObject(child as THREE.Mesh);
    }
    this.measurePoints = [];
    this.requestRender();
  }

  /** Where the overlay labels go after the last render. */
  labels(): SceneLabels {
    const box = this.bounds();
    const centre = box.getCenter(new THREE.Vector3());
    const half = box.getSize(new THREE.Vector3()).multiplyScalar(0.5 * 1.12);
    const looking = this.camera.getWorldDirection(new THREE.Vector3());
    const axes = AXIS_LETTERS.map(({ letter, direction }) => ({
      letter,
      // A letter for the axis along the line of sight would sit on the centre: left out.
      at:
        Math.abs(looking.dot(new THREE.Vector3(...direction))) > 0.9
          ? null
          : this.toScreen(
              centre
                .clone()
                .add(
                  new THREE.Vector3(
                    direction[0] * half.x,
                    direction[1] * half.y,
                    direction[2] * half.z,
                  ),
                ),
            ),
    }));
    const lesions = [...this.lesions.entries()].map(([id, mesh]) => {
      const geometry = mesh.geometry;
      const lesionBox = geometry.boundingBox ?? new THREE.Box3().setFromObject(mesh);
      return { id, at: this.toScreen(lesionBox.getCenter(new THREE.Vector3())) };
    });
    const [a, b] = this.measurePoints;
    const measurement =
      a !== undefined && b !== undefined
        ? this.toScreen(a.clone().add(b).multiplyScalar(0.5))
        : null;
    return { axes, lesions, measurement };
  }

  private toScreen(point: THREE.Vector3): ScreenPoint | null {
    const projected = point.clone().project(this.camera);
    if (projected.z > 1 || projected.z < -1) return null;
    const canvas = this.renderer.domElement;
    return {
      x: ((projected.x + 1) / 2) * canvas.clientWidth,
      y: ((1 - projected.y) / 2) * canvas.clientHeight,
    };
  }

  private remove(mesh: THREE.Mesh): void {
    this.scene.remove(mesh);
    this.disposeObject(mesh);
  }

  private disposeObject(object: THREE.Mesh | THREE.Line): void {
    object.geometry.dispose();
    const material = object.material;
    for (const m of Array.isArray(material) ? material : [material]) m.dispose();
  }

  dispose(): void {
    this.isDisposed = true;
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.controls.dispose();
    for (const mesh of [...this.lesions.values(), ...this.attached.values()]) this.remove(mesh);
    if (this.head !== null) this.remove(this.head);
    this.clearMeasurement();
    this.renderer.dispose();
    this.renderer.domElement.remove();
  }
}
