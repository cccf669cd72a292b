// The part of cornerstone-core 2.6 (which ships no types) that the viewer uses.
declare module 'cornerstone-core' {
  export type PixelArray = Uint8Array | Int16Array | Uint16Array | Float32Array;

  export interface CornerstoneImage {
    imageId: string;
    minPixelValue: number;
    maxPixelValue: number;
    slope: number;
    intercept: number;
    windowCenter: number;
    windowWidth: number;
    getPixelData(): PixelArray;
    rows: number;
    columns: number;
    height: number;
    width: number;
    color: boolean;
    rgba: boolean;
    columnPixelSpacing: number | undefined;
    rowPixelSpacing: number | undefined;
    invert: boolean;
    sizeInBytes: number;
  }

  export interface ImageLoadObject {
    promise: Promise<CornerstoneImage>;
    cancelFn?: () => void;
  }

  export type ImageLoader = (imageId: string) => ImageLoadObject;

  export interface Viewport {
    scale: number;
    translation: { x: number; y: number };
    voi: { windowWidth: number; windowCenter: number };
    invert: boolean;
    pixelReplication: boolean;
    rotation: number;
    hflip: boolean;
    vflip: boolean;
  }

  export interface CornerstoneApi {
    enable(element: HTMLElement, options?: Record<string, unknown>): void;
    disable(element: HTMLElement): void;
    displayImage(element: HTMLElement, image: CornerstoneImage, viewport?: Partial<Viewport>): void;
    getViewport(element: HTMLElement): Viewport | undefined;
    setViewport(element: HTMLElement, viewport: Partial<Viewport>): void;
    getDefaultViewportForImage(element: HTMLElement, image: CornerstoneImage): Viewport;
    reset(element: HTMLElement): void;
    resize(element: HTMLElement, forcedResize?: boolean): void;
    fitToWindow(element: HTMLElement): void;
    /** Image pixel coordinates (x along columns, y along rows) to canvas coordinates. */
    pixelToCanvas(element: HTMLElement, point: { x: number; y: number }): { x: number; y: number };
    canvasToPixel(element: HTMLElement, point: { x: number; y: number }): { x: number; y: number };
    updateImage(element: HTMLElement, invalidated?: boolean): void;
    loadAndCacheImage(imageId: string): Promise<CornerstoneImage>;
    registerImageLoader(scheme: string, loader: ImageLoader): void;
    imageCache: {
      setMaximumSizeBytes(bytes: number): void;
      removeImageLoadObject(imageId: string): void;
    };
    EVENTS: { IMAGE_RENDERED: string; NEW_IMAGE: string };
  }

  const cornerstone: CornerstoneApi;
  export default cornerstone;
}
