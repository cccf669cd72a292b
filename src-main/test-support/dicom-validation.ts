import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * Independent checks of the DICOM files Neurosphere writes: dciodvfy (Debian's dicom3tools)
 * validates against the IOD, and Debian's python3-pydicom reads them back. Both are installed by
 * scripts/install.sh; a test that needs them fails (never skips) when they are missing.
 */
export const PYTHON = '/usr/bin/python3';

const INSTALL_HINT =
  'run "bash scripts/install.sh" (it installs dicom3tools, python3-pydicom and python3-numpy)';

/** Fails with what to do when dciodvfy or Debian's pydicom/numpy are not installed. */
export function requireDicomValidators(): void {
  if (spawnSync('sh', ['-c', 'command -v dciodvfy'], { stdio: 'ignore' }).status !== 0)
    throw new Error(`dciodvfy is not installed: ${INSTALL_HINT}.`);
  if (spawnSync(PYTHON, ['-c', 'import pydicom, numpy'], { stdio: 'ignore' }).status !== 0)
    throw new Error(`${PYTHON} cannot import pydicom and numpy: ${INSTALL_HINT}.`);
}

export interface ValidatorReport {
  errors: string[];
  warnings: string[];
  /** The IOD dciodvfy recognised (its first line), e.g. "Segmentation". */
  output: string;
}

/** Runs dciodvfy on one file and sorts its lines into errors and warnings. */
export function dciodvfy(path: string): ValidatorReport {
  const run = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
  const output = `${run.stdout}${run.stderr}`;
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  return {
    errors: lines.filter((l) => /^Error/.test(l)),
    warnings: lines.filter((l) => /^Warning/.test(l)),
    output,
  };
}

/**
 * Warnings explained, so tests may allow them: a source without a DICOM header (NIfTI, PNG) or a
 * DICOM source without these attributes has no patient ID, study date, time or ID. They are
 * Type 2 in the Patient and General Study modules: written empty, which is valid; dciodvfy only
 * notes that a DICOMDIR (media index) would want values.
 */
export const EMPTY_TYPE2_WARNINGS: readonly RegExp[] = [
  /^Warning - Missing attribute or value that would be needed to build DICOMDIR - (Patient ID|Study Date|Study Time|Study ID)$/,
];

/** dciodvfy's errors and its warnings not among `allowed`: both must be empty. */
export function validatorFindings(
  path: string,
  allowed: readonly RegExp[] = [],
): { errors: string[]; unexplainedWarnings: string[]; output: string } {
  const report = dciodvfy(path);
  return {
    errors: report.errors,
    unexplainedWarnings: report.warnings.filter((w) => !allowed.some((a) => a.test(w))),
    output: report.output,
  };
}

/** Runs a Python script with Debian's python3 and parses the JSON it prints. */
export function runPython<T>(script: string, args: string[]): T {
  const out = execFileSync(PYTHON, ['-c', script, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as T;
}

/**
 * Reads a SEG with pydicom and rebuilds the label volume from its frames alone: each frame goes
 * to the slice whose Image Position (Patient) it carries, projected on the slice normal and
 * ranked among the given source positions (or, without sources, among the SEG's own positions);
 * where a frame names its source image (and frame, for a multi-frame source), that image's own
 * position must be the same. Writes the
 * volume (slices × rows × columns, uint8, value = segment number) to argv[2] and prints facts.
 */
export const DECODE_SEG_PY = String.raw`
import json, sys
import numpy as np
import pydicom

seg = pydicom.dcmread(sys.argv[1])
out_path = sys.argv[2]
sources = {}
for path in sys.argv[3:]:
    d = pydicom.dcmread(path, stop_before_pixels=True)
    if 'PerFrameFunctionalGroupsSequence' in d:
        for n, f in enumerate(d.PerFrameFunctionalGroupsSequence, start=1):
            ipp = f.PlanePositionSequence[0].ImagePositionPatient
            sources[(d.SOPInstanceUID, n)] = [float(v) for v in ipp]
    else:
        sources[(d.SOPInstanceUID, None)] = [float(v) for v in d.ImagePositionPatient]
shared = seg.SharedFunctionalGroupsSequence[0]
iop = [float(v) for v in shared.PlaneOrientationSequence[0].ImageOrientationPatient]
normal = np.cross(iop[:3], iop[3:])
frames = seg.pixel_array
if frames.ndim == 2:
    frames = frames[np.newaxis]
per_frame = seg.PerFrameFunctionalGroupsSequence
positions = [[float(v) for v in f.PlanePositionSequence[0].ImagePositionPatient] for f in per_frame]
reference = list(sources.values()) if sources else positions
levels = sorted({round(float(np.dot(normal, p)), 3) for p in reference})
volume = np.zeros((len(levels), int(seg.Rows), int(seg.Columns)), dtype=np.uint8)
mismatched = 0
referenced = 0
for i, f in enumerate(per_frame):
    segment = int(f.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
    if 'DerivationImageSequence' in f:
        src = f.DerivationImageSequence[0].SourceImageSequence[0]
        number = int(src.ReferencedFrameNumber) if 'ReferencedFrameNumber' in src else None
        key = (src.ReferencedSOPInstanceUID, number)
        referenced += 1
        if key not in sources or np.abs(np.array(sources[key]) - np.array(positions[i])).max() > 1e-3:
            mismatched += 1
    k = levels.index(round(float(np.dot(normal, positions[i])), 3))
    volume[k][frames[i] != 0] = segment
volume.tofile(out_path)
print(json.dumps({
    'sopClassUid': seg.SOPClassUID,
    'frames': len(per_frame),
    'segments': [{'number': int(s.SegmentNumber), 'label': s.SegmentLabel,
                  'algorithmType': s.SegmentAlgorithmType,
                  'type': s.SegmentedPropertyTypeCodeSequence[0].CodeValue,
                  'category': s.SegmentedPropertyCategoryCodeSequence[0].CodeValue}
                 for s in seg.SegmentSequence],
    'referencedFrames': referenced,
    'mismatchedFrames': mismatched,
    'referencedInstances': [i.ReferencedSOPInstanceUID for r in seg.get('ReferencedSeriesSequence', [])
                            for i in r.ReferencedInstanceSequence],
    'referencedSeries': [r.SeriesInstanceUID for r in seg.get('ReferencedSeriesSequence', [])],
    'studyInstanceUid': seg.StudyInstanceUID,
    'seriesInstanceUid': seg.SeriesInstanceUID,
    'frameOfReferenceUid': seg.FrameOfReferenceUID,
    'patientName': str(seg.PatientName),
    'patientId': seg.PatientID,
    'shape': list(volume.shape),
    'orientation': iop,
}))
`;

/** Reads an Encapsulated PDF with pydicom; writes the document (padding cut off) to argv[2]. */
export const READ_PDF_PY = String.raw`
import json, sys
import pydicom
d = pydicom.dcmread(sys.argv[1])
doc = bytes(d.EncapsulatedDocument)
length = int(d.EncapsulatedDocumentLength) if 'EncapsulatedDocumentLength' in d else len(doc)
open(sys.argv[2], 'wb').write(doc[:length])
print(json.dumps({'sopClassUid': d.SOPClassUID, 'mime': d.MIMETypeOfEncapsulatedDocument,
                  'title': d.DocumentTitle, 'stored': len(doc), 'length': length,
                  'padding': doc[length:].hex(), 'studyInstanceUid': d.StudyInstanceUID,
                  'patientName': str(d.PatientName), 'burnedIn': d.BurnedInAnnotation}))
`;

/** Reads Secondary Captures with pydicom: size, red (outline) pixels and the source named. */
export const READ_SC_PY = String.raw`
import json, sys
import numpy as np
import pydicom
out = []
for path in sys.argv[1:]:
    d = pydicom.dcmread(path)
    a = d.pixel_array
    red = int(np.sum((a[..., 0] == 255) & (a[..., 1] == 0) & (a[..., 2] == 0)))
    src = d.SourceImageSequence[0].ReferencedSOPInstanceUID if 'SourceImageSequence' in d else None
    out.append({'sopClassUid': d.SOPClassUID, 'shape': list(a.shape), 'red': red,
                'burnedIn': d.BurnedInAnnotation, 'source': src,
                'studyInstanceUid': d.StudyInstanceUID, 'photometric': d.PhotometricInterpretation})
print(json.dumps(out))
`;

/** A small real PDF made with pdfmake and its standard Helvetica font. */
export async function makeTestPdf(text: string): Promise<Buffer> {
  const require = createRequire(import.meta.url);
  const pdfmake = require('pdfmake') as {
    setFonts(fonts: Record<string, Record<string, string>>): void;
    createPdf(doc: Record<string, unknown>): { getBuffer(): Promise<Buffer> };
    setLocalAccessPolicy(policy: (path: string) => boolean): void;
    setUrlAccessPolicy(policy: (url: string) => boolean): void;
  };
  // The test document loads no URLs and no files but the standard fonts built into pdfkit.
  pdfmake.setLocalAccessPolicy((path) => /^Helvetica(-Bold)?(-Oblique)?$/.test(path));
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setFonts({
    Helvetica: {
      normal: 'Helvetica',
      bold: 'Helvetica-Bold',
      italics: 'Helvetica-Oblique',
      bolditalics: 'Helvetica-BoldOblique',
    },
  });
  return pdfmake
    .createPdf({ content: [{ text, fontSize: 14 }], defaultStyle: { font: 'Helvetica' } })
    .getBuffer();
}
