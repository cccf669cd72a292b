import cornerstone from 'cornerstone-core';
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { FrameInfo } from '../../../../src-shared/contract/frames.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import {
  createNeurosphereLoader,
  IMAGE_SCHEME,
  imageIdFor,
  type NeurosphereImage,
} from './neurosphere-loader.js';
import type { FramePixels, ImagePoint } from './measurements.js';
import { rotatedBy } from './orientation-markers.js';
import {
  attachViewportPointer,
  clampScale,
  type HandleHit,
  type MeasureListener,
  type PrimaryTool,
} from './viewport-pointer.js';
import type { StoredView } from './viewer-state-store.js';
import { modalityRange, presetsFor, type VoiWindow, type WindowPreset } from './window-level.js';

/** Decoded images kept for scrolling back and forth; cornerstone evicts the oldest beyond this. */
const IMAGE_CACHE_BYTES = 512 * 1024 * 1024;

export interface ViewportView {
  readonly status: 'loading' | 'ready' | 'error';
  readonly error: string | null;
  readonly info: FrameInfo | null;
  readonly voi: VoiWindow | null;
  readonly scale: number;
  readonly translation: { readonly x: number; readonly y: number };
  readonly invert: boolean;
  /** Clockwise, in degrees (0, 90, 180, 270). */
  readonly rotation: number;
  readonly hflip: boolean;
  readonly vflip: boolean;
  /** Increases with every frame cornerstone draws: the signal tests (and people) wait for. */
  readonly renderCount: number;
  readonly presets: readonly WindowPreset[];
}

const INITIAL: ViewportView = {
  status: 'loading',
  error: null,
  info: null,
  voi: null,
  scale: 1,
  translation: { x: 0, y: 0 },
  invert: false,
  rotation: 0,
  hflip: false,
  vflip: false,
  renderCount: 0,
  presets: [],
};

/**
 * A cornerstone-core viewport on `element` showing frame `index` of a scan. Frames come from the
 * `neurosphere:` loader, i.e. through the contract's frame transport, never from a file path.
 */
export function useCornerstoneViewport(
  element: RefObject<HTMLDivElement | null>,
  scan: { id: string; modality: string | null },
  index: number,
  handlers: {
    frameCount: () => number;
    onSliceStep: (delta: 1 | -1) => void;
    tool?: () => PrimaryTool;
    onMeasure?: MeasureListener;
    onMeasureCancel?: () => void;
    hasDraft?: () => boolean;
    handleAt?: (canvas: ImagePoint) => HandleHit | null;
    onHandleMove?: (hit: HandleHit, point: ImagePoint, done: boolean) => void;
  },
  /** The view to open with (the reader's last one on this scan), applied to the first image. */
  initialView: StoredView | null = null,
) {
  const api = useApi();
  const [view, setView] = useState<ViewportView>(INITIAL);
  const infoRef = useRef<FrameInfo | null>(null);
  const hasImage = useRef(false);
  const imageRef = useRef<NeurosphereImage | null>(null);
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const initialViewRef = useRef(initialView);

  useEffect(() => {
    const el = element.current;
    if (el === null) return;
    cornerstone.registerImageLoader(
      IMAGE_SCHEME,
      createNeurosphereLoader((scanId, i) => api.frame(scanId, i)),
    );
    cornerstone.imageCache.setMaximumSizeBytes(IMAGE_CACHE_BYTES);
    cornerstone.enable(el);
    const onRendered = (): void => {
      const viewport = cornerstone.getViewport(el);
      if (viewport === undefined) return;
      setView((current) => ({
        ...current,
        voi: { center: viewport.voi.windowCenter, width: viewport.voi.windowWidth },
        scale: viewport.scale,
        translation: { x: viewport.translation.x, y: viewport.translation.y },
        invert: viewport.invert,
        rotation: viewport.rotation,
        hflip: viewport.hflip,
        vflip: viewport.vflip,
        renderCount: current.renderCount + 1,
      }));
    };
    el.addEventListener(cornerstone.EVENTS.IMAGE_RENDERED, onRendered);
    const resizer = new ResizeObserver(() => {
      if (hasImage.current) cornerstone.resize(el);
    });
    resizer.observe(el);
    const detach = attachViewportPointer(cornerstone, el, {
      valueRange: () => (infoRef.current === null ? null : modalityRange(infoRef.current)),
      frameCount: () => handlersRef.current.frameCount(),
      onSliceStep: (delta) => handlersRef.current.onSliceStep(delta),
      tool: () => handlersRef.current.tool?.() ?? 'window',
      onMeasure: (...args) => handlersRef.current.onMeasure?.(...args),
      onMeasureCancel: () => handlersRef.current.onMeasureCancel?.(),
      hasDraft: () => handlersRef.current.hasDraft?.() ?? false,
      handleAt: (point) => handlersRef.current.handleAt?.(point) ?? null,
      onHandleMove: (...args) => handlersRef.current.onHandleMove?.(...args),
    });
    return () => {
      detach();
      resizer.disconnect();
      el.removeEventListener(cornerstone.EVENTS.IMAGE_RENDERED, onRendered);
      cornerstone.disable(el);
      hasImage.current = false;
      imageRef.current = null;
    };
  }, [api, element]);

  useEffect(() => {
    const el = element.current;
    if (el === null) return;
    let isCurrent = true;
    const imageId = imageIdFor(scan.id, index);
    setView((current) => ({ ...current, status: 'loading', error: null }));
    cornerstone.loadAndCacheImage(imageId).then(
      (loaded) => {
        if (!isCurrent) return;
        const image = loaded as NeurosphereImage;
        const previous = hasImage.current ? cornerstone.getViewport(el) : undefined;
        const isFirst = !hasImage.current;
        cornerstone.displayImage(el, image, previous);
        hasImage.current = true;
        const restore = initialViewRef.current;
        if (isFirst && restore !== null) {
          cornerstone.setViewport(el, {
            ...(restore.voi !== null && {
              voi: { windowCenter: restore.voi.center, windowWidth: restore.voi.width },
            }),
            scale: clampScale(restore.scale),
            translation: { ...restore.translation },
            rotation: restore.rotation,
            hflip: restore.hflip,
            vflip: restore.vflip,
            invert: restore.invert,
          });
        }
        imageRef.current = image;
        infoRef.current = image.frameInfo;
        setView((current) => ({
          ...current,
          status: 'ready',
          info: image.frameInfo,
          presets:
            current.presets.length > 0
              ? current.presets
              : presetsFor(
                  scan.modality,
                  {
                    ...image.frameInfo,
                    rescaleSlope: image.slope,
                    rescaleIntercept: image.intercept,
                  },
                  image.getPixelData(),
                ),
        }));
      },
      (failure: unknown) => {
        // A failed load stays in cornerstone's cache otherwise, and would fail again without asking.
        cornerstone.imageCache.removeImageLoadObject(imageId);
        if (isCurrent)
          setView((current) => ({ ...current, status: 'error', error: errorMessage(failure) }));
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [element, scan.id, scan.modality, index]);

  // MR windows are percentiles of the volume: once the first image is shown, sample a few
  // slices across the stack (through the same cache the viewer scrolls with) and recompute.
  const isReady = view.status === 'ready';
  const volumePresetsOf = useRef<string | null>(null);
  useEffect(() => {
    if (!isReady || scan.modality !== 'MR' || volumePresetsOf.current === scan.id) return;
    const count = handlersRef.current.frameCount();
    if (count < 2) return;
    const scanId = scan.id;
    volumePresetsOf.current = scanId;
    const picks = [...new Set([0.2, 0.35, 0.5, 0.65, 0.8].map((f) => Math.round(f * (count - 1))))];
    Promise.all(picks.map((i) => cornerstone.loadAndCacheImage(imageIdFor(scan.id, i)))).then(
      (loaded) => {
        const images = loaded as NeurosphereImage[];
        const first = images[0];
        // Dropped when another scan was opened meanwhile.
        if (volumePresetsOf.current !== scanId || first === undefined || first.color) return;
        const total = images.reduce((sum, image) => sum + image.getPixelData().length, 0);
        const values = new Float64Array(total);
        let offset = 0;
        for (const image of images) {
          values.set(image.getPixelData(), offset);
          offset += image.getPixelData().length;
        }
        const info = {
          ...first.frameInfo,
          rescaleSlope: first.slope,
          rescaleIntercept: first.intercept,
        };
        setView((current) => ({
          ...current,
          presets: presetsFor(scan.modality, info, values, images.length),
        }));
      },
      () => undefined, // the presets of the first slice stay
    );
  }, [isReady, scan.id, scan.modality]);

  const withViewport = useCallback(
    (
      change: (
        viewport: NonNullable<ReturnType<typeof cornerstone.getViewport>>,
      ) => Parameters<typeof cornerstone.setViewport>[1],
    ) => {
      const el = element.current;
      const viewport = el === null || !hasImage.current ? undefined : cornerstone.getViewport(el);
      if (el !== null && viewport !== undefined) cornerstone.setViewport(el, change(viewport));
    },
    [element],
  );

  return {
    view,
    applyWindow: (window: VoiWindow) =>
      withViewport(() => ({ voi: { windowCenter: window.center, windowWidth: window.width } })),
    zoomBy: (factor: number) =>
      withViewport((viewport) => ({ scale: clampScale(viewport.scale * factor) })),
    toggleInvert: () => withViewport((viewport) => ({ invert: !viewport.invert })),
    rotateBy: (degrees: number) =>
      withViewport((viewport) => ({ rotation: rotatedBy(viewport.rotation, degrees) })),
    // cornerstone flips in image space, before rotating. A mirror on screen after a rotation by
    // θ equals a mirror of the image with the rotation by −θ, so the flips below act on the
    // screen: "Flip ↔" always swaps what is on the left and right of the screen.
    flipHorizontal: () =>
      withViewport((viewport) => ({
        hflip: !viewport.hflip,
        rotation: rotatedBy(0, -viewport.rotation),
      })),
    flipVertical: () =>
      withViewport((viewport) => ({
        vflip: !viewport.vflip,
        rotation: rotatedBy(0, -viewport.rotation),
      })),
    /** Where an image point is on the canvas now (after zoom, pan, rotation, flips). */
    imageToCanvas: (point: ImagePoint): ImagePoint | null => {
      const el = element.current;
      return el === null || !hasImage.current ? null : cornerstone.pixelToCanvas(el, point);
    },
    /** The shown frame's greyscale values, for region statistics; null for colour images. */
    framePixels: (): FramePixels | null => {
      const image = imageRef.current;
      if (image === null || image.color) return null;
      return {
        columns: image.columns,
        rows: image.rows,
        values: image.getPixelData(),
        slope: image.slope,
        intercept: image.intercept,
      };
    },
    reset: () => {
      const el = element.current;
      if (el !== null && hasImage.current) cornerstone.reset(el);
    },
  };
}
