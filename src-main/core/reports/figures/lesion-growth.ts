import { AppError } from '../../../../src-shared/errors.js';
import type { Vec3 } from '../../analysis/metrics/types.js';

/** Days per month for rates: the mean Gregorian month (365.25 / 12). */
export const DAYS_PER_MONTH = 30.44;

/**
 * Two lesions at different time points are taken for the same one when their centroids (patient
 * space, LPS mm) lie within BASE_TOLERANCE_MM plus half the larger of their maximum diameters.
 * Why: there is no registration between the studies, so the same point of the head moves with
 * positioning (the patient coordinate origin is set at a laser landmark for each session; for
 * head exams the same landmark is used, leaving about 5-10 mm of difference plus any tilt), and
 * a lesion's centroid moves by up to its radius when it grows or shrinks on one side. Within the
 * tolerance, pairs are taken best first by a cost: the distance as a share of the tolerance plus
 * VOLUME_RATIO_WEIGHT × |ln(volume ratio)|, so that a large lesion growing towards a small
 * neighbour keeps its own history rather than the neighbour's.
 */
export const BASE_TOLERANCE_MM = 10;

/** A lesion four times its earlier volume costs as much as 0.35 of the tolerance in distance. */
export const VOLUME_RATIO_WEIGHT = 0.25;

/** One lesion of one analysis, as growth needs it. */
export interface GrowthLesionInput {
  /** Its id in its analysis ('det-1'…). */
  detectionId: string;
  /** Centroid in patient space (LPS mm); null when the scan has no geometry (it is then not matched). */
  centroidPatientMm: Vec3 | null;
  volume_mm3: number;
  /** Maximum 3D diameter, mm. */
  maxDiameter_mm: number | null;
  /** Longest axial diameter and the longest perpendicular to it, mm (RANO/WHO). */
  longestAxial_mm: number | null;
  perpendicularAxial_mm: number | null;
}

/** One analysed study of the patient. */
export interface GrowthTimepoint {
  /** The caller's name for it (analysis or scan id): handed back unchanged. */
  id: string;
  /** The study's date, 'YYYY-MM-DD' (a timestamp's date part is used). */
  date: string;
  lesions: GrowthLesionInput[];
}

/** A change between two time points. Percentages are null when the earlier value is 0 or unknown. */
export interface GrowthChange {
  /** Days between the two studies; 0 for studies on the same date (rates are then null). */
  days: number;
  volumePercent: number | null;
  volumePercentPerMonth: number | null;
  volume_mL_perMonth: number | null;
  maxDiameterPercent: number | null;
  maxDiameter_mm_perMonth: number | null;
  /** Of the product of the two axial diameters (the WHO/RANO measure). */
  productPercent: number | null;
}

/** A lesion at one time point. Where it was not seen, its sizes are 0 (not found). */
export interface LesionAtTimepoint {
  timepointId: string;
  date: string;
  /** Its id in that analysis; null where the lesion was not seen. */
  detectionId: string | null;
  seen: boolean;
  volume_mm3: number;
  maxDiameter_mm: number | null;
  longestAxial_mm: number | null;
  perpendicularAxial_mm: number | null;
  product_mm2: number | null;
  /** Against the time point before (null at the first). */
  vsPrevious: GrowthChange | null;
  /** Against the first time point (null at the first). */
  vsFirst: GrowthChange | null;
}

/** One lesion followed through the time points. */
export interface LesionTrack {
  /** 'L1', 'L2'…: by size at the latest time point it was seen, largest first. */
  trackId: string;
  /** Not seen at the first time point: it appeared later. */
  isNew: boolean;
  /** Not seen at the latest time point: it is gone (or no longer found). */
  hasVanished: boolean;
  /** One per time point, in date order. */
  points: LesionAtTimepoint[];
}

export interface LesionGrowth {
  /** In date order (equal dates keep the order given). */
  timepoints: Array<{ id: string; date: string }>;
  tracks: LesionTrack[];
  /** Things a reader must know (same-day studies, lesions that could not be followed). */
  notes: string[];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

function dayNumber(date: string): number {
  const match = ISO_DATE.exec(date);
  const days = match === null ? NaN : Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!) / 86_400_000;
  if (!Number.isFinite(days))
    throw new AppError(
      'INVALID_INPUT',
      `"${date}" is not a date (YYYY-MM-DD); growth needs each study's date.`,
    );
  return days;
}

interface Seen {
  lesion: GrowthLesionInput;
  at: number;
}

/**
 * Follows the lesions of a patient's analysed studies through time: matches them by centroid
 * distance (best pairs first, within the tolerance above), and gives each lesion's sizes at
 * every time point with the change against the previous and the first time point, in % and per
 * month (30.44 days). A lesion not seen at a time point counts as size 0 there, so a vanished
 * lesion reads -100 % and a new one has no % (there is nothing to compare with) but a rate.
 */
export function lesionGrowth(timepoints: readonly GrowthTimepoint[]): LesionGrowth {
  const ordered = timepoints
    .map((timepoint, index) => ({ timepoint, index, day: dayNumber(timepoint.date) }))
    .sort((a, b) => a.day - b.day || a.index - b.index);
  const notes: string[] = [];
  // Matching: each track remembers where it was last seen.
  const tracks: Array<Array<Seen | null>> = [];
  ordered.forEach(({ timepoint }, at) => {
    const lesions = timepoint.lesions;
    const pairs: Array<{ track: number; lesion: number; cost: number }> = [];
    tracks.forEach((history, track) => {
      const last = [...history].reverse().find((seen) => seen !== null);
      if (last === undefined || last === null || last.lesion.centroidPatientMm === null) return;
      lesions.forEach((lesion, index) => {
        if (lesion.centroidPatientMm === null) return;
        const distance = Math.hypot(
          ...[0, 1, 2].map(
            (k) => lesion.centroidPatientMm![k]! - last.lesion.centroidPatientMm![k]!,
          ),
        );
        const tolerance =
          BASE_TOLERANCE_MM +
          Math.max(lesion.maxDiameter_mm ?? 0, last.lesion.maxDiameter_mm ?? 0) / 2;
        const ratio = Math.abs(
          Math.log(Math.max(lesion.volume_mm3, 1) / Math.max(last.lesion.volume_mm3, 1)),
        );
        if (distance <= tolerance)
          pairs.push({
            track,
            lesion: index,
            cost: distance / tolerance + VOLUME_RATIO_WEIGHT * ratio,
          });
      });
    });
    pairs.sort((a, b) => a.cost - b.cost || a.track - b.track || a.lesion - b.lesion);
    const matched = new Map<number, number>();
    const usedTracks = new Set<number>();
    for (const pair of pairs) {
      if (usedTracks.has(pair.track) || matched.has(pair.lesion)) continue;
      usedTracks.add(pair.track);
      matched.set(pair.lesion, pair.track);
    }
    for (const history of tracks) history.push(null);
    lesions.forEach((lesion, index) => {
      const track = matched.get(index);
      if (track !== undefined) tracks[track]![at] = { lesion, at };
      else {
        const history: Array<Seen | null> = Array.from({ length: at + 1 }, () => null);
        history[at] = { lesion, at };
        tracks.push(history);
        if (lesion.centroidPatientMm === null && ordered.length > 1)
          notes.push(
            `${lesion.detectionId} of ${timepoint.date} has no position in patient space (the scan has no geometry), so it could not be followed between studies.`,
          );
      }
    });
  });
  for (let i = 1; i < ordered.length; i++)
    if (ordered[i]!.day === ordered[i - 1]!.day)
      notes.push(
        `Two studies are dated ${ordered[i]!.timepoint.date}: changes between them have no rate per month.`,
      );

  const built = tracks.map((history) => buildPoints(history, ordered));
  built.sort((a, b) => latestVolume(b) - latestVolume(a));
  return {
    timepoints: ordered.map(({ timepoint }) => ({ id: timepoint.id, date: timepoint.date })),
    tracks: built.map((points, index) => ({
      trackId: `L${index + 1}`,
      isNew: !points[0]!.seen,
      hasVanished: !points.at(-1)!.seen,
      points,
    })),
    notes,
  };
}

function latestVolume(points: LesionAtTimepoint[]): number {
  const last = [...points].reverse().find((point) => point.seen);
  return last?.volume_mm3 ?? 0;
}

function buildPoints(
  history: ReadonlyArray<Seen | null>,
  ordered: ReadonlyArray<{ timepoint: GrowthTimepoint; day: number }>,
): LesionAtTimepoint[] {
  const sizes = ordered.map((_, at) => sizesOf(history[at] ?? null));
  return ordered.map(({ timepoint, day }, at) => {
    const seen = history[at] ?? null;
    const change = (from: number): GrowthChange | null =>
      at === 0 ? null : changeBetween(sizes[from]!, sizes[at]!, day - ordered[from]!.day);
    return {
      timepointId: timepoint.id,
      date: timepoint.date,
      detectionId: seen?.lesion.detectionId ?? null,
      seen: seen !== null,
      ...sizes[at]!,
      vsPrevious: change(at - 1),
      vsFirst: change(0),
    };
  });
}

interface Sizes {
  volume_mm3: number;
  maxDiameter_mm: number | null;
  longestAxial_mm: number | null;
  perpendicularAxial_mm: number | null;
  product_mm2: number | null;
}

/** A lesion not seen measures 0 in every respect. */
function sizesOf(seen: Seen | null): Sizes {
  if (seen === null)
    return {
      volume_mm3: 0,
      maxDiameter_mm: 0,
      longestAxial_mm: 0,
      perpendicularAxial_mm: 0,
      product_mm2: 0,
    };
  const { lesion } = seen;
  return {
    volume_mm3: lesion.volume_mm3,
    maxDiameter_mm: lesion.maxDiameter_mm,
    longestAxial_mm: lesion.longestAxial_mm,
    perpendicularAxial_mm: lesion.perpendicularAxial_mm,
    product_mm2:
      lesion.longestAxial_mm === null || lesion.perpendicularAxial_mm === null
        ? null
        : lesion.longestAxial_mm * lesion.perpendicularAxial_mm,
  };
}

function changeBetween(before: Sizes, after: Sizes, days: number): GrowthChange {
  const months = days / DAYS_PER_MONTH;
  const percent = (from: number | null, to: number | null): number | null =>
    from === null || to === null || from === 0 ? null : ((to - from) / from) * 100;
  const perMonth = (delta: number | null): number | null =>
    delta === null || days === 0 ? null : delta / months;
  const volumePercent = percent(before.volume_mm3, after.volume_mm3);
  const diameterDelta =
    before.maxDiameter_mm === null || after.maxDiameter_mm === null
      ? null
      : after.maxDiameter_mm - before.maxDiameter_mm;
  return {
    days,
    volumePercent,
    volumePercentPerMonth: perMonth(volumePercent),
    volume_mL_perMonth: perMonth((after.volume_mm3 - before.volume_mm3) / 1000),
    maxDiameterPercent: percent(before.maxDiameter_mm, after.maxDiameter_mm),
    maxDiameter_mm_perMonth: perMonth(diameterDelta),
    productPercent: percent(before.product_mm2, after.product_mm2),
  };
}
