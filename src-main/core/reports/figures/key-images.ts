import { AppError } from '../../../../src-shared/errors.js';
import { heatColour } from '../../analysis/output/heatmap-colours.js';
import { encodePng } from '../../analysis/output/png-encoder.js';
import type { DirectionCosines } from '../../analysis/metrics/location.js';
import type { SpacingMm, Vec3, VolumeDims } from '../../analysis/metrics/types.js';
import { heatFromHeatmapPng } from './heatmap-layer.js';
import { percentileWindow } from './intensity-window.js';
import { hasLesionVoxel, largestLesionCentroid } from './lesions.js';
import { patientAxesOf, type PatientAxes, type VoxelAxis } from './patient-axes.js';
import {
  planeOfFixedAxis,
  planeView,
  sampleMask,
  sampleValues,
  toGrey,
  type ImageOrientation,
  type PlaneName,
  type PlaneView,
} from './plane-view.js';

/** The lesion outline's colour: pure green never occurs in a grey image, so it always stands out. */
export const OUTLINE_RGB: readonly [number, number, number] = [0, 255, 0];
/** Heat at full strength covers this share of the grey image (as the analysis's overlay does). */
const HEAT_MAX_ALPHA = 0.6;
const DEFAULT_SIZE = 512;
/** Fast deflate: noisy MR pictures gain little from more effort (20 % larger, 7× faster). */
const PNG_DEFLATE_LEVEL = 1;

export interface KeyImage {
  /** 'outline': the image with the lesion's border drawn; 'heatmap': with the heat blended. */
  kind: 'outline' | 'heatmap';
  /** The patient plane the image is closest to; a single 2D picture is called axial. */
  plane: PlaneName;
  /** The voxel axis held fixed, the 0-based slice along it, and the slices along it. */
  fixedAxis: VoxelAxis;
  slice: number;
  sliceCount: number;
  png: Buffer;
  width: number;
  height: number;
  /** mm per pixel; null when the spacing is unknown (a picture: source pixels per pixel). */
  mmPerPixel: number | null;
  /** Patient directions at the edges; null for a picture (its orientation is unknown). */
  orientation: ImageOrientation | null;
  /** e.g. "Coronal (reformatted), slice 120 of 256: lesion outlined". */
  caption: string;
}

export interface KeyImagesInput {
  volume: {
    dims: VolumeDims;
    /** mm; null for a 2D picture of unknown pixel size. */
    spacing: SpacingMm | null;
    /** `Volume['direction']` layout; default an axial stack. */
    direction?: DirectionCosines;
    /** x fastest, then y, then z (the analysis's volume). */
    data: Float32Array;
  };
  /** The stored analysis mask on the same grid; null when the analysis made none. */
  mask: Uint8Array | null;
  /** Where the planes cross (voxel indices); default the largest lesion's centroid. */
  centreVoxel?: Vec3;
  /** The stored heatmap PNG (the classified slice, x by y) and that slice's index along z. */
  heatmap?: { png: Uint8Array; slice: number } | null;
  /** The longer side of each image, pixels (default 512). */
  size?: number;
}

export interface KeyImages {
  /** Outline images first (axial, coronal, sagittal; only one for a picture), then the heatmap. */
  images: KeyImage[];
  /** What could not be drawn and why (e.g. a heatmap of another size than the scan). */
  warnings: string[];
}

/**
 * Key images for a report: the three planes through the largest lesion's centre with the mask's
 * border drawn (not filled, so the tissue under it stays readable), and the classified slice with
 * the class activation heatmap blended on. Percentile window over the whole volume; square pixels
 * (a 1 × 1 × 5 mm volume is stretched along its slices, not squashed).
 */
export function renderKeyImages(input: KeyImagesInput): KeyImages {
  const { volume, mask } = input;
  const { dims, data } = volume;
  const count = dims[0] * dims[1] * dims[2];
  if (!dims.every((d) => Number.isInteger(d) && d > 0) || data.length !== count)
    throw new AppError(
      'INVALID_INPUT',
      `The image holds ${data.length} values for dimensions ${dims.join(' × ')}; it cannot be drawn.`,
    );
  if (mask !== null && mask.length !== count)
    throw new AppError(
      'INVALID_INPUT',
      `The mask holds ${mask.length} voxels but the image ${count}: it does not belong to this scan's grid.`,
    );
  const isPicture = volume.spacing === null;
  if (isPicture && dims[2] !== 1)
    throw new AppError('INVALID_INPUT', 'A volume needs its voxel spacing to be drawn to scale.');
  const spacing: SpacingMm = volume.spacing ?? [1, 1, 1];
  const axes = isPicture ? patientAxesOf() : patientAxesOf(volume.direction);
  const size = input.size ?? DEFAULT_SIZE;
  const window = percentileWindow(data);
  const largest =
    mask === null || input.centreVoxel !== undefined ? null : largestLesionCentroid(mask, dims);
  const centre: Vec3 = input.centreVoxel ??
    largest ?? [(dims[0] - 1) / 2, (dims[1] - 1) / 2, (dims[2] - 1) / 2];
  const hasLesion = largest !== null || (mask !== null && hasLesionVoxel(mask));
  const planes: PlaneName[] =
    dims[2] === 1 ? [planeOfFixedAxis(axes, 2)] : ['axial', 'coronal', 'sagittal'];

  const images = planes.map((plane): KeyImage => {
    const fixedAxis = axes.voxelAxis[plane === 'sagittal' ? 0 : plane === 'coronal' ? 1 : 2];
    const view = planeView({ dims, spacing, axes, plane, slice: centre[fixedAxis], size });
    const grey = toGrey(sampleValues(view, data), window);
    const rgb = greyToRgb(grey);
    if (mask !== null) drawOutline(rgb, sampleMask(view, mask), view, outlineRadius(view));
    const what = hasLesion ? 'lesion outlined' : 'no lesion segmented';
    return keyImage('outline', view, rgb, isPicture, `${title(view, isPicture)}: ${what}`);
  });

  const warnings: string[] = [];
  if (input.heatmap !== undefined && input.heatmap !== null) {
    const heatImage = renderHeatmap(input.heatmap, { dims, data, spacing, axes, size, window });
    if (typeof heatImage === 'string') warnings.push(heatImage);
    else
      images.push(
        keyImage(
          'heatmap',
          heatImage.view,
          heatImage.rgb,
          isPicture,
          `${title(heatImage.view, isPicture)}: class activation heatmap (where the tumour-type model looked)`,
        ),
      );
  }
  return { images, warnings };
}

function keyImage(
  kind: KeyImage['kind'],
  view: PlaneView,
  rgb: Uint8Array,
  isPicture: boolean,
  caption: string,
): KeyImage {
  return {
    kind,
    plane: view.plane,
    fixedAxis: view.fixedAxis,
    slice: view.slice,
    sliceCount: view.sliceCount,
    png: encodePng(rgb, view.width, view.height, 3, PNG_DEFLATE_LEVEL),
    width: view.width,
    height: view.height,
    mmPerPixel: isPicture ? null : view.mmPerPixel,
    orientation: isPicture ? null : view.orientation,
    caption,
  };
}

/** "Axial, slice 85 of 170"; a plane across the stored slices is a reformat. */
function title(view: PlaneView, isPicture: boolean): string {
  if (isPicture) return 'Image';
  const name = view.plane[0]!.toUpperCase() + view.plane.slice(1);
  const reformatted = view.fixedAxis === 2 ? '' : ' (reformatted)';
  return `${name}${reformatted}, slice ${view.slice + 1} of ${view.sliceCount}`;
}

function greyToRgb(grey: Uint8Array): Uint8Array {
  const rgb = new Uint8Array(grey.length * 3);
  for (let i = 0, j = 0; i < grey.length; i++, j += 3) {
    const value = grey[i]!;
    rgb[j] = value;
    rgb[j + 1] = value;
    rgb[j + 2] = value;
  }
  return rgb;
}

/** A line about 2 px wide on a 512 px image, wider on larger ones. */
function outlineRadius(view: PlaneView): number {
  return Math.max(1, Math.round(Math.max(view.width, view.height) / 512));
}

/**
 * Paints every pixel whose neighbourhood (within `radius`) holds both lesion and background: a
 * line along the border, half inside and half outside, the lesion's own pixels left as they are.
 */
function drawOutline(rgb: Uint8Array, inside: Uint8Array, view: PlaneView, radius: number): void {
  const { width, height } = view;
  // Only around the lesion's pixels: elsewhere every neighbourhood is background alone.
  let [top, bottom, left, right] = [height, -1, width, -1];
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++)
      if (inside[r * width + c] === 1) {
        if (r < top) top = r;
        if (r > bottom) bottom = r;
        if (c < left) left = c;
        if (c > right) right = c;
      }
  if (bottom < 0) return;
  for (let r = Math.max(0, top - radius); r <= Math.min(height - 1, bottom + radius); r++) {
    for (let c = Math.max(0, left - radius); c <= Math.min(width - 1, right + radius); c++) {
      const own = inside[r * width + c]!;
      let isBorder = false;
      for (let dr = -radius; dr <= radius && !isBorder; dr++) {
        const rr = r + dr;
        if (rr < 0 || rr >= height) continue;
        for (let dc = -radius; dc <= radius; dc++) {
          const cc = c + dc;
          if (cc >= 0 && cc < width && inside[rr * width + cc] !== own) {
            isBorder = true;
            break;
          }
        }
      }
      if (isBorder) rgb.set(OUTLINE_RGB, 3 * (r * width + c));
    }
  }
}

/** The classified slice with the heat blended on, or why it cannot be drawn. */
function renderHeatmap(
  heatmap: { png: Uint8Array; slice: number },
  context: {
    dims: VolumeDims;
    data: Float32Array;
    spacing: SpacingMm;
    axes: PatientAxes;
    size: number;
    window: { low: number; high: number };
  },
): { view: PlaneView; rgb: Uint8Array } | string {
  const { dims, data, spacing, axes, size, window } = context;
  if (!Number.isInteger(heatmap.slice) || heatmap.slice < 0 || heatmap.slice >= dims[2])
    return `The heatmap names slice ${heatmap.slice + 1}, which this scan does not have; it was left out.`;
  let decoded: ReturnType<typeof heatFromHeatmapPng>;
  try {
    decoded = heatFromHeatmapPng(heatmap.png);
  } catch (error) {
    return `The stored heatmap cannot be read (${error instanceof Error ? error.message : String(error)}); it was left out.`;
  }
  if (decoded.width !== dims[0] || decoded.height !== dims[1])
    return `The stored heatmap is ${decoded.width} × ${decoded.height} pixels but the scan's slices are ${dims[0]} × ${dims[1]}; it was left out.`;
  const plane = planeOfFixedAxis(axes, 2);
  const view = planeView({ dims, spacing, axes, plane, slice: heatmap.slice, size });
  const grey = toGrey(sampleValues(view, data), window);
  // The heat is one slice: the same layout without the slice offset.
  const heat = sampleValues({ ...view, base: 0 }, decoded.heat);
  const rgb = new Uint8Array(grey.length * 3);
  for (let i = 0; i < grey.length; i++) {
    const h = Math.min(1, Math.max(0, heat[i]!));
    const colour = heatColour(h);
    const alpha = HEAT_MAX_ALPHA * h;
    for (let k = 0; k < 3; k++)
      rgb[3 * i + k] = Math.round(grey[i]! * (1 - alpha) + colour[k]! * alpha);
  }
  return { view, rgb };
}
