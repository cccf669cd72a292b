import type { DicomTag } from '../../../../src-shared/contract/dicom-tags.js';

/**
 * The tags matching a search: by tag number ("0010,0010", "(0010,0010)", "00100010"), keyword or
 * value, ignoring case. A match inside a sequence keeps the sequence and item rows above it, so
 * the row is still read in context.
 */
export function filterTags(tags: readonly DicomTag[], search: string): DicomTag[] {
  const query = search.trim().toLowerCase();
  if (query === '') return [...tags];
  const compact = query.replace(/[(),\s]/g, '');
  const matches = (tag: DicomTag): boolean =>
    (compact.length > 0 && tag.tag.replace(/[(),]/g, '').toLowerCase().includes(compact)) ||
    tag.name.toLowerCase().includes(query) ||
    tag.value.toLowerCase().includes(query) ||
    tag.vr.toLowerCase() === query;
  const keep = new Set<number>();
  tags.forEach((tag, i) => {
    if (!matches(tag)) return;
    keep.add(i);
    // Walk back to the parents: the nearest rows above with a smaller depth.
    let depth = tag.depth;
    for (let j = i - 1; j >= 0 && depth > 0; j--) {
      const above = tags[j]!;
      if (above.depth < depth) {
        keep.add(j);
        depth = above.depth;
      }
    }
  });
  return tags.filter((_, i) => keep.has(i));
}
