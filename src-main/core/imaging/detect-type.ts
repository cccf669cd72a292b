/** What a file is, decided from its first bytes, never from its name. */
export type DetectedType = 'dicom' | 'dicom-raw' | 'png' | 'jpeg' | 'unknown';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * @param head at least the first 132 bytes of the file (fewer if the file is shorter)
 */
export function detectType(head: Uint8Array): DetectedType {
  if (head.length >= 8 && PNG_SIGNATURE.every((b, i) => head[i] === b)) return 'png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (
    head.length >= 132 &&
    head[128] === 0x44 &&
    head[129] === 0x49 &&
    head[130] === 0x43 &&
    head[131] === 0x4d
  ) {
    return 'dicom';
  }
  if (looksLikeRawDicomDataSet(head)) return 'dicom-raw';
  return 'unknown';
}

/**
 * A DICOM data set written without the 128-byte preamble and 'DICM' (old ACR-NEMA style
 * exports): little-endian tags of group 0x0002 or 0x0008 at offset 0, ascending.
 */
function looksLikeRawDicomDataSet(head: Uint8Array): boolean {
  if (head.length < 16) return false;
  const group = head[0]! | (head[1]! << 8);
  const element = head[2]! | (head[3]! << 8);
  if (group !== 0x0002 && group !== 0x0008) return false;
  if (element > 0x0100) return false;
  // Explicit VR: two upper-case letters follow the tag.
  const vr0 = head[4]!;
  const vr1 = head[5]!;
  const isExplicit = vr0 >= 0x41 && vr0 <= 0x5a && vr1 >= 0x41 && vr1 <= 0x5a;
  if (isExplicit) return true;
  // Implicit VR: a 32-bit length that fits in the bytes we have.
  const length = head[4]! | (head[5]! << 8) | (head[6]! << 16) | (head[7]! << 24);
  return length >= 0 && length < 1024;
}

export function mimeTypeOf(type: Exclude<DetectedType, 'unknown'>): string {
  switch (type) {
    case 'png':
      return 'image/png';
    case 'jpeg':
      return 'image/jpeg';
    case 'dicom':
    case 'dicom-raw':
      return 'application/dicom';
  }
}
