import { MESH_QUALITIES, type MeshQuality } from '../../../../src-shared/mesh/mask-surface.js';
import { NamedSelect } from '../../ui/named-select.js';

/** A mesh quality as the 3D page and its HTML scenes name it. */
export const MESH_QUALITY_NAMES: Readonly<Record<MeshQuality, string>> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
};

/** "Quality" of the surfaces meshed from a mask: finer is slower. */
export function MeshQualitySelect({
  value,
  onChange,
  testId,
}: {
  value: MeshQuality;
  onChange: (quality: MeshQuality) => void;
  testId: string;
}) {
  return (
    <NamedSelect
      label="Quality"
      value={value}
      choices={MESH_QUALITIES}
      names={MESH_QUALITY_NAMES}
      onChange={onChange}
      testId={testId}
    />
  );
}
