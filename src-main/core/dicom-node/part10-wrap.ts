import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from '../exports/dicom/part10.js';

/** A data element of the file meta group (always Explicit VR Little Endian, PS3.10 7.1). */
function metaElement(element: number, vr: string, value: Buffer): Buffer {
  const padded =
    value.length % 2 === 0
      ? value
      : Buffer.concat([value, Buffer.from([vr === 'UI' || vr === 'OB' ? 0 : 0x20])]);
  const isLong = vr === 'OB';
  const header = Buffer.alloc(isLong ? 12 : 8);
  header.writeUInt16LE(0x0002, 0);
  header.writeUInt16LE(element, 2);
  header.write(vr, 4, 'latin1');
  if (isLong) header.writeUInt32LE(padded.length, 8);
  else header.writeUInt16LE(padded.length, 6);
  return Buffer.concat([header, padded]);
}

export interface ReceivedInstance {
  sopClassUid: string;
  sopInstanceUid: string;
  /** The transfer syntax negotiated for the presentation context: the data set's encoding. */
  transferSyntaxUid: string;
  /** The AE title of the sender, kept in the meta header as Source Application Entity Title. */
  sourceAeTitle: string;
}

/**
 * A Part 10 file of a data set as it came over the network: preamble, "DICM", a file meta
 * group written here, then the data set's bytes untouched. Nothing is re-encoded, so what is
 * stored is byte for byte what the modality sent (and the importer validates it like any file).
 */
export function wrapPart10(
  instance: ReceivedInstance,
  dataset: Buffer | readonly Buffer[],
): Buffer {
  const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
  const elements = Buffer.concat([
    metaElement(0x0001, 'OB', Buffer.from([0, 1])),
    metaElement(0x0002, 'UI', ascii(instance.sopClassUid)),
    metaElement(0x0003, 'UI', ascii(instance.sopInstanceUid)),
    metaElement(0x0010, 'UI', ascii(instance.transferSyntaxUid)),
    metaElement(0x0012, 'UI', ascii(IMPLEMENTATION_CLASS_UID)),
    metaElement(0x0013, 'SH', ascii(IMPLEMENTATION_VERSION_NAME)),
    ...(instance.sourceAeTitle === ''
      ? []
      : [metaElement(0x0016, 'AE', ascii(instance.sourceAeTitle))]),
  ]);
  const groupLength = Buffer.alloc(12);
  groupLength.writeUInt16LE(0x0002, 0);
  groupLength.writeUInt16LE(0x0000, 2);
  groupLength.write('UL', 4, 'latin1');
  groupLength.writeUInt16LE(4, 6);
  groupLength.writeUInt32LE(elements.length, 8);
  const preamble = Buffer.alloc(132);
  preamble.write('DICM', 128, 'latin1');
  const body = Buffer.isBuffer(dataset) ? [dataset] : dataset;
  return Buffer.concat([preamble, groupLength, elements, ...body]);
}
