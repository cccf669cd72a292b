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
  type MeasureListener,
  type PrimaryTool,
} from './viewport-pointer.js';
import { modalityRange, presetsFor, type VoiWindow, type WindowPreset } from './window-level.js';

/** Decoded images kept for scrolling back and forth; cornerstone evicts the oldest beyond this. */
const IMAGE_CACHE_BYTES = 512 * 1024 * 1024;

export interface ViewportView {
  readonly status: 'loading' | 'ready' | 'error';
  readonly error: string | null;
  readonly info: FrameInfo | null;
  readonly voi: VoiWindow | null;
  readonly scale: number;
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
  },
) {
  const api = useApi();
  const [view, setView] = useState<ViewportView>(INITIAL);
  const infoRef = useRef<FrameInfo | null>(null);
  const hasImage = useRef(false);
  const imageRef = useRef<NeurosphereImage | null>(null);
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;

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
        cornerstone.displayImage(el, image, previous);
        hasImage.current = true;
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
    flipHorizontal: () => withViewport((viewport) => ({ hflip: !viewport.hflip })),
    flipVertical: () => withViewport((viewport) => ({ vflip: !viewport.vflip })),
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
