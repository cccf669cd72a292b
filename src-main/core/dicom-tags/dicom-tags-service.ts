import type { DicomTags } from '../../../src-shared/contract/dicom-tags.js';
import { AppError } from '../../../src-shared/errors.js';
import { parseDicom } from '../imaging/dicom/parse-dicom.js';
import type { ScansRepo } from '../scans/scans-repo.js';
import type { BlobStore } from '../store/blob-store.js';
import { dictionaryEntry, parseTag } from './dicom-dictionary.js';
import { listDicomTags, MAX_TAGS } from './dicom-tag-list.js';

/** Files larger than this are read up to their pixel data only (the header is what is listed). */
export const WHOLE_FILE_LIMIT = 64 * 1024 * 1024;

/**
 * The DICOM tag browser's source: every element of the stored file shown at a frame of a scan,
 * read from the original file (not from what the import kept), with sequences and private tags.
 */
export function createDicomTagsService(deps: {
  scans: Pick<ScansRepo, 'get' | 'frameAt' | 'frameCount'>;
  blobs: Pick<BlobStore, 'sizeOf' | 'readRange'>;
}) {
  const vrOf = (tag: string): string | undefined => {
    const [group, element] = parseTag(tag);
    return dictionaryEntry(group, element)?.vr;
  };

  return {
    async tagsAt(scanId: string, frame: number): Promise<DicomTags> {
      const scan = deps.scans.get(scanId);
      if (scan === undefined)
        throw new AppError('NOT_FOUND', 'No such scan: it may have been deleted.', { scanId });
      if (scan.format !== 'dicom')
        throw new AppError(
          'INVALID_INPUT',
          `This scan was imported from a ${scan.format.toUpperCase()} file, which has no DICOM tags.`,
        );
      const at = deps.scans.frameAt(scanId, frame);
      if (at === undefined) {
        const count = deps.scans.frameCount(scanId);
        throw new AppError(
          'NOT_FOUND',
          `Scan ${scanId} has ${count} slice${count === 1 ? '' : 's'}; slice ${frame + 1} does not exist.`,
        );
      }
      // Through the store: only the first bytes are read (and decrypted) of a large file.
      const fileBytes = await deps.blobs.sizeOf(at.sha256);
      const bytes = await deps.blobs.readRange(at.sha256, 0, Math.min(fileBytes, WHOLE_FILE_LIMIT));
      const isPartial = fileBytes > WHOLE_FILE_LIMIT;
      const parsed = parseDicom(bytes, { vrOf, ...(isPartial && { untilPixelData: true }) });
      const { tags, truncated } = listDicomTags(parsed.dataSet, vrOf);
      const notes = [
        ...(isPartial
          ? [`The file is ${fileBytes} bytes: its header was read up to the pixel data.`]
          : []),
        ...(truncated
          ? [`Only the first ${MAX_TAGS} elements (or 8 levels of sequences) are listed.`]
          : []),
      ];
      return {
        scanId,
        frame,
        sopInstanceUid: parsed.dataSet.string('x00080018')?.trim() ?? null,
        transferSyntaxUid: parsed.transferSyntaxUid,
        fileBytes,
        tags,
        notes,
      };
    },
  };
}
export type DicomTagsService = ReturnType<typeof createDicomTagsService>;
