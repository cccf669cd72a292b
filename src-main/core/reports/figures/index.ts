/**
 * The figures of a report (issue 12), as pure functions on typed arrays (no database, no PDF
 * library) except `patientTimepoints`, which reads the store: lesion diameters, key images,
 * growth over time and its plot. See docs/report-figures.md for the methods and their reasons.
 */
export { computeReportFigures, growthTableRows } from './report-figures.js';
export type { GrowthTableRow, ReportFigures, ReportFiguresInput } from './report-figures.js';
export { lesionDiameters } from './lesion-diameters.js';
export type {
  AxialDiameters,
  LesionDiameters,
  LesionDiametersInput,
  MeasuredSegment,
} from './lesion-diameters.js';
export { OUTLINE_RGB, renderKeyImages } from './key-images.js';
export type { KeyImage, KeyImages, KeyImagesInput } from './key-images.js';
export { BASE_TOLERANCE_MM, DAYS_PER_MONTH, lesionGrowth } from './lesion-growth.js';
export type {
  GrowthChange,
  GrowthLesionInput,
  GrowthTimepoint,
  LesionAtTimepoint,
  LesionGrowth,
  LesionTrack,
} from './lesion-growth.js';
export { growthPlotSvg } from './growth-plot-svg.js';
export { patientTimepoints, toPatient } from './prior-analyses.js';
export type { PatientTimepoints, PriorTimepoint } from './prior-analyses.js';
