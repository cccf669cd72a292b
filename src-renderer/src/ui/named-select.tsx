/**
 * A labelled select of a fixed list of values, each shown by its name (the label's text comes
 * first, then the select, as in the viewers' option bars).
 */
export function NamedSelect<T extends string>({
  label,
  value,
  choices,
  names,
  onChange,
  testId,
}: {
  label: string;
  value: T;
  choices: readonly T[];
  names: Readonly<Record<T, string>>;
  onChange: (value: T) => void;
  testId: string;
}) {
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value as T)} data-testid={testId}>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {names[choice]}
          </option>
        ))}
      </select>
    </label>
  );
}
