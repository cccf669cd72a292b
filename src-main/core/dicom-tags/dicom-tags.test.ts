import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDicom } from '../../test-support/dicom-fixtures.js';
import { makePng } from '../../test-support/image-fixtures.js';
import {
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';

/** dcmjs's reader, which the fixture typings leave out. */
const { DicomMessage } = dcmjs.data as unknown as {
  DicomMessage: {
    readFile(buffer: ArrayBuffer): {
      dict: Record<string, unknown>;
      write(): ArrayBuffer;
    };
  };
};

/** A CT slice with a sequence, a private creator and a private element added to its header. */
function dicomWithSequenceAndPrivateTags(): Buffer {
  const base = makeDicom({
    modality: 'CT',
    patientName: 'Tag^Browser',
    extraAttributes: { RescaleIntercept: '-1024', RescaleSlope: '1' },
  });
  const file = DicomMessage.readFile(Uint8Array.from(base).buffer);
  file.dict['00081140'] = {
    vr: 'SQ',
    Value: [
      {
        '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
        '00081155': { vr: 'UI', Value: ['1.2.3.4.5'] },
      },
    ],
  };
  file.dict['00090010'] = { vr: 'LO', Value: ['ACME IMAGING 1.0'] };
  file.dict['00091001'] = { vr: 'LO', Value: ['vendor secret'] };
  return Buffer.from(file.write());
}

describe('scans.tags (the DICOM tag browser)', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  it('lists every element of the stored file: sequences, private tags, summarised binary', async () => {
    const path = join(t.inputDir, 'tagged.dcm');
    writeFileSync(path, dicomWithSequenceAndPrivateTags());
    const scanId = await importScan(t, token, [path]);
    const result = await t.ok('scans.tags', { scanId, frame: 0 }, token);
    const byTag = (tag: string) => result.tags.find((e) => e.tag === tag);
    expect(byTag('(0010,0010)')).toMatchObject({
      vr: 'PN',
      name: 'PatientName',
      value: 'Tag^Browser',
      isPrivate: false,
      depth: 0,
    });
    expect(byTag('(0002,0010)')?.name).toBe('TransferSyntaxUID');
    expect(byTag('(0028,1052)')?.value).toBe('-1024');
    expect(byTag('(0028,0010)')).toMatchObject({ vr: 'US', value: '16' });
    // The sequence, its item and the item's elements one level deeper each.
    const sequenceAt = result.tags.findIndex((e) => e.tag === '(0008,1140)');
    expect(result.tags[sequenceAt]).toMatchObject({ vr: 'SQ', value: '1 item', depth: 0 });
    expect(result.tags[sequenceAt + 1]).toMatchObject({ name: 'Item 1', depth: 1 });
    expect(result.tags[sequenceAt + 3]).toMatchObject({
      tag: '(0008,1155)',
      value: '1.2.3.4.5',
      depth: 2,
    });
    expect(byTag('(0009,0010)')).toMatchObject({ name: 'Private Creator', isPrivate: true });
    expect(byTag('(0009,1001)')).toMatchObject({
      name: 'Private: ACME IMAGING 1.0',
      value: 'vendor secret',
      isPrivate: true,
    });
    // 16 × 16 × 2 bytes of pixels: summarised, not dumped.
    expect(byTag('(7FE0,0010)')?.value).toBe('pixel data, 512 bytes');
    expect(result.sopInstanceUid).toEqual(expect.any(String));
    expect(result.notes).toEqual([]);
    expect(t.core.audit.list(3).map((e) => e.action)).toContain('scans.tags');
  });

  it('says clearly when a scan has no DICOM tags or no such slice', async () => {
    const png = join(t.inputDir, 'picture.png');
    writeFileSync(png, makePng(8, 8));
    const pictureId = await importScan(t, token, [png]);
    const noTags = await t.fail('scans.tags', { scanId: pictureId, frame: 0 }, token);
    expect(noTags).toMatchObject({ code: 'INVALID_INPUT' });
    expect(noTags.message).toMatch(/PNG file, which has no DICOM tags/);
    const path = join(t.inputDir, 'one.dcm');
    writeFileSync(path, makeDicom());
    const dicomId = await importScan(t, token, [path]);
    const noSlice = await t.fail('scans.tags', { scanId: dicomId, frame: 4 }, token);
    expect(noSlice.message).toMatch(/1 slice; slice 5 does not exist/);
  });
});
