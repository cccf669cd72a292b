import { useState } from 'react';
import { FIRST_RUN_STEPS, type FirstRunStepId } from '../../../../src-shared/first-run.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { DEFAULT_ROUTE, type Route } from '../../app/routes.js';
import { useAsync } from '../../app/use-async.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { STEP_SCREENS } from './first-run-steps.js';

/**
 * The first-run wizard for administrators: one step at a time, each saved by its own panel;
 * Finish records it as done (the steps skipped with it), after which it opens only from Settings.
 */
export function FirstRunPage({ navigate }: { navigate: (route: Route) => void }) {
  const api = useApi();
  const status = useAsync(() => api.call('firstRun.status', {}), [api]);
  const [index, setIndex] = useState(0);
  const [visited, setVisited] = useState<ReadonlySet<FirstRunStepId>>(new Set(['admin-account']));
  const [isFinishing, setIsFinishing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const step = FIRST_RUN_STEPS[index] ?? FIRST_RUN_STEPS[0];
  const isLast = index === FIRST_RUN_STEPS.length - 1;
  const Screen = STEP_SCREENS[step.id];

  function go(next: number): void {
    const target = FIRST_RUN_STEPS[next];
    if (target === undefined) return;
    setVisited((seen) => new Set([...seen, target.id]));
    setIndex(next);
  }

  async function finish(): Promise<void> {
    setIsFinishing(true);
    setError(null);
    try {
      const skipped = FIRST_RUN_STEPS.filter((s) => !visited.has(s.id)).map((s) => s.id);
      await api.call('firstRun.complete', { skipped });
      navigate(DEFAULT_ROUTE);
    } catch (failure) {
      setError(errorMessage(failure));
      setIsFinishing(false);
    }
  }

  return (
    <section className="page-section" data-testid="first-run" aria-labelledby="first-run-title">
      <div className="toolbar">
        <h2 id="first-run-title">Set up Neurosphere</h2>
        {status.data?.isComplete === true && (
          <span className="muted" data-testid="first-run-done-before">
            Finished before by {status.data.completedBy ?? 'an administrator'}; change anything here
            again.
          </span>
        )}
      </div>
      <ol
        className="plain-list"
        style={{ display: 'flex', flexWrap: 'wrap', gap: '0.5rem' }}
        aria-label="Steps"
      >
        {FIRST_RUN_STEPS.map((s, i) => (
          <li key={s.id}>
            <button
              type="button"
              className={i === index ? 'button small primary' : 'button small'}
              aria-current={i === index ? 'step' : undefined}
              onClick={() => go(i)}
              data-testid={`first-run-step-${s.id}`}
            >
              {i + 1}. {s.title}
              {visited.has(s.id) && i !== index ? ' ✓' : ''}
            </button>
          </li>
        ))}
      </ol>
      <h3 data-testid="first-run-step-title">{step.title}</h3>
      <p className="muted">{step.purpose}</p>
      <ErrorMessage message={status.error ?? error} />
      {status.data !== undefined && <Screen status={status.data} navigate={navigate} />}
      <div className="toolbar">
        <button
          type="button"
          className="button"
          disabled={index === 0}
          onClick={() => go(index - 1)}
          data-testid="first-run-back"
        >
          Back
        </button>
        <span className="spacer" />
        {isLast ? (
          <button
            type="button"
            className="button primary"
            disabled={isFinishing}
            onClick={() => void finish()}
            data-testid="first-run-finish"
          >
            Finish
          </button>
        ) : (
          <button
            type="button"
            className="button primary"
            onClick={() => go(index + 1)}
            data-testid="first-run-next"
          >
            Next
          </button>
        )}
      </div>
    </section>
  );
}
