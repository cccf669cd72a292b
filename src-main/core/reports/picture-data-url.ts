/**
 * A PNG or JPEG as a data URL: how pictures reach pdfmake, which is allowed to read no file and
 * no URL (see pdf-engine.ts).
 */
export function pictureDataUrl(bytes: Uint8Array): string {
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50;
  return `data:image/${isPng ? 'png' : 'jpeg'};base64,${Buffer.from(bytes).toString('base64')}`;
}
