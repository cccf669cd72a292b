import { describe, expect, it } from 'vitest';
import type { DicomTag } from '../../../../src-shared/contract/dicom-tags.js';
import { filterTags } from './tag-filter.js';

const tag = (t: string, name: string, value: string, depth = 0): DicomTag => ({
  tag: t,
  vr: 'LO',
  name,
  value,
  isPrivate: false,
  depth,
  length: value.length,
});

const TAGS = [
  tag('(0008,0060)', 'Modality', 'MR'),
  tag('(0008,1140)', 'ReferencedImageSequence', '1 item'),
  tag('(FFFE,E000)', 'Item 1', '', 1),
  tag('(0008,1155)', 'ReferencedSOPInstanceUID', '1.2.3.4.5', 2),
  tag('(0010,0010)', 'PatientName', 'Doe^Jane'),
];

describe('filterTags', () => {
  it('finds by tag number in any common spelling, keyword or value', () => {
    for (const query of ['0010,0010', '(0010,0010)', '00100010', 'patientname', 'doe^'])
      expect(
        filterTags(TAGS, query).map((t) => t.tag),
        query,
      ).toEqual(['(0010,0010)']);
    expect(filterTags(TAGS, '  ')).toHaveLength(TAGS.length);
  });

  it('keeps the sequence and item above a match inside a sequence', () => {
    expect(filterTags(TAGS, '1.2.3.4').map((t) => t.name)).toEqual([
      'ReferencedImageSequence',
      'Item 1',
      'ReferencedSOPInstanceUID',
    ]);
  });
});
