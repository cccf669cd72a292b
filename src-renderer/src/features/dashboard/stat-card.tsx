/**
 * One statistic. The value line keeps its height while loading (an en dash placeholder), so the
 * cards do not jump when the numbers arrive.
 */
export function StatCard(props: {
  label: string;
  value: number | string | undefined;
  note?: string | undefined;
  testId: string;
  onOpen?: () => void;
}) {
  const content = (
    <>
      <span className="stat-label">{props.label}</span>
      <span className="stat-value" data-testid={`${props.testId}-value`}>
        {props.value ?? '–'}
      </span>
      <span className="stat-note muted">{props.note ?? ' '}</span>
    </>
  );
  return props.onOpen === undefined ? (
    <div className="stat-card" data-testid={props.testId}>
      {content}
    </div>
  ) : (
    <button
      type="button"
      className="stat-card clickable"
      onClick={props.onOpen}
      data-testid={props.testId}
    >
      {content}
    </button>
  );
}
