import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import {
  sourcesOf,
  type DicomDestination,
  type DicomSource,
  type RetrieveTask,
  type SeriesMatchEntry,
  type StudyMatchEntry,
} from '../../../../src-shared/contract/dicom-node.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useCan } from '../../app/use-permission.js';
import { EmptyState } from '../../ui/empty-state.js';
import { ErrorMessage } from '../../ui/error-message.js';
import {
  EMPTY_QUERY,
  MODALITIES,
  formatDicomDate,
  formatPersonName,
  hasCriteria,
  prefillOf,
  studyQueryOf,
  type QueryForm,
} from './query-form.js';
import { RetrievePanel } from './retrieve-panel.js';

/** How often running retrieves are polled for their progress. */
const POLL_MS = 500;

/** Retrieves: started here, polled while one runs; when one ends, `onFinished` runs. */
function useRetrieves(onFinished: () => void) {
  const api = useApi();
  const [tasks, setTasks] = useState<RetrieveTask[]>([]);
  const [error, setError] = useState<string | null>(null);
  const running = tasks.filter((t) => t.state === 'running').length;
  const finishedRef = useRef(onFinished);
  finishedRef.current = onFinished;
  const load = useCallback(() => {
    api.call('dicom.retrieve.list', {}).then(
      (next) => {
        setTasks((previous) => {
          const ended = previous.some(
            (p) => p.state === 'running' && next.find((n) => n.id === p.id)?.state !== 'running',
          );
          if (ended) setTimeout(() => finishedRef.current(), 0);
          return next;
        });
      },
      (failure: unknown) => setError(errorMessage(failure)),
    );
  }, [api]);
  useEffect(load, [load]);
  useEffect(() => {
    if (running === 0) return;
    const timer = setInterval(load, POLL_MS);
    return () => clearInterval(timer);
  }, [running, load]);
  return {
    tasks,
    error,
    start(input: {
      destinationId: string;
      source: DicomSource;
      studyInstanceUid: string;
      seriesInstanceUid?: string;
      label: string;
      expected: number | null;
    }): void {
      setError(null);
      api
        .call('dicom.retrieve.start', input)
        .then(load, (failure: unknown) => setError(errorMessage(failure)));
    },
    cancel(id: string): void {
      api
        .call('dicom.retrieve.cancel', { id })
        .then(load, (failure: unknown) => setError(errorMessage(failure)));
    },
  };
}

/** A study's label in the retrieve list: who, when, what. */
function studyLabel(study: StudyMatchEntry): string {
  return [
    formatPersonName(study.patientName),
    formatDicomDate(study.studyDate),
    study.studyDescription ?? study.modalities.join('/'),
  ].join(' · ');
}

const LAST_DESTINATION_KEY = 'neurosphere.query.destination';

function readLastDestination(): string | null {
  try {
    return window.localStorage.getItem(LAST_DESTINATION_KEY);
  } catch {
    return null; // storage disabled: fall back to the first destination
  }
}

function rememberDestination(id: string): void {
  try {
    window.localStorage.setItem(LAST_DESTINATION_KEY, id);
  } catch {
    // storage disabled: nothing to remember
  }
}

/** Query/retrieve (like Horos's or Weasis's "Query"): find studies on a PACS, pull them here. */
export function QueryPage() {
  const api = useApi();
  const canConfigure = useCan('settings.write');
  const [destinations, setDestinations] = useState<DicomDestination[] | null>(null);
  const [form, setForm] = useState<QueryForm>(() => ({
    ...EMPTY_QUERY,
    ...prefillOf(window.location.hash),
  }));
  const [studies, setStudies] = useState<StudyMatchEntry[] | null>(null);
  const [series, setSeries] = useState<Record<string, SeriesMatchEntry[] | 'loading'>>({});
  const [error, setError] = useState<string | null>(null);
  const [isSearching, setIsSearching] = useState(false);
  const lastQuery = useRef<QueryForm | null>(null);
  /** DIMSE or DICOMweb, where the chosen destination has both; the first it has otherwise. */
  const [chosenSource, setChosenSource] = useState<DicomSource | null>(null);
  const destination = destinations?.find((d) => d.id === form.destinationId);
  const sources = destination === undefined ? [] : sourcesOf(destination);
  const source: DicomSource =
    chosenSource !== null && sources.includes(chosenSource)
      ? chosenSource
      : (sources[0] ?? 'dimse');
  const sourceRef = useRef(source);
  sourceRef.current = source;
  /** The source of the shown results (a refresh or series list asks the same way). */
  const lastSource = useRef<DicomSource>(source);
  const seriesRef = useRef(series);
  seriesRef.current = series;

  useEffect(() => {
    api.call('dicom.node.get', {}).then(
      (node) => {
        setDestinations(node.destinations);
        // The PACS asked last time, as Horos and Weasis remember it; else the first one.
        const remembered = node.destinations.find((d) => d.id === readLastDestination());
        const initial = remembered ?? node.destinations[0];
        setForm((f) =>
          f.destinationId === '' && initial !== undefined ? { ...f, destinationId: initial.id } : f,
        );
      },
      (failure: unknown) => setError(errorMessage(failure)),
    );
  }, [api]);

  useEffect(() => {
    if (form.destinationId !== '') rememberDestination(form.destinationId);
  }, [form.destinationId]);

  const search = useCallback(
    (query: QueryForm) => {
      setError(null);
      setIsSearching(true);
      const isRefresh = lastQuery.current === query;
      lastQuery.current = query;
      const via = isRefresh ? lastSource.current : sourceRef.current;
      lastSource.current = via;
      api.call('dicom.find', { ...studyQueryOf(query), source: via }).then(
        (found) => {
          setStudies(found);
          setIsSearching(false);
          if (!isRefresh) {
            setSeries({});
            return;
          }
          // A refresh after a retrieve: the open series lists say what is here now too.
          for (const uid of Object.keys(seriesRef.current))
            api
              .call('dicom.findSeries', {
                destinationId: query.destinationId,
                studyInstanceUid: uid,
                source: via,
              })
              .then(
                (list) => setSeries((s) => ({ ...s, [uid]: list })),
                () => undefined,
              );
        },
        (failure: unknown) => {
          setError(errorMessage(failure));
          setIsSearching(false);
        },
      );
    },
    [api],
  );
  // A finished retrieve changes what is here: search again so the rows say so.
  const retrieves = useRetrieves(() => {
    if (lastQuery.current !== null) search(lastQuery.current);
  });

  // "Priors…" opens the screen with a patient ID: search the first PACS for it at once.
  const prefilled = useRef(form.patientId !== '');
  useEffect(() => {
    if (!prefilled.current || form.destinationId === '') return;
    prefilled.current = false;
    search(form);
  }, [form, search]);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!hasCriteria(form)) {
      setError(
        'Give a patient name or ID, a date or an accession number: an empty search would list the whole PACS.',
      );
      return;
    }
    search(form);
  };

  const toggleSeries = (study: StudyMatchEntry): void => {
    const uid = study.studyInstanceUid;
    if (series[uid] !== undefined) {
      const { [uid]: _closed, ...rest } = series;
      setSeries(rest);
      return;
    }
    setSeries({ ...series, [uid]: 'loading' });
    api
      .call('dicom.findSeries', {
        destinationId: form.destinationId,
        studyInstanceUid: uid,
        source: lastSource.current,
      })
      .then(
        (found) => setSeries((s) => ({ ...s, [uid]: found })),
        (failure: unknown) => {
          setError(errorMessage(failure));
          setSeries(({ [uid]: _failed, ...rest }) => rest);
        },
      );
  };

  const field = (key: keyof QueryForm) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });

  if (destinations !== null && destinations.length === 0)
    return (
      <section className="page-section" data-testid="query-page">
        <h1>Query PACS</h1>
        <EmptyState title="No PACS destination yet." testId="query-no-destination">
          {canConfigure
            ? 'Add one in Settings → DICOM (AE title, host, port, or a DICOMweb URL), then search it here.'
            : 'Ask an administrator to add one in Settings → DICOM.'}
        </EmptyState>
      </section>
    );

  return (
    <section className="page-section" data-testid="query-page">
      <h1>Query PACS</h1>
      <form className="panel" onSubmit={submit} data-testid="query-form">
        <div className="toolbar">
          <label>
            PACS{' '}
            <select className="input" data-testid="query-destination" {...field('destinationId')}>
              {(destinations ?? []).map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} ({d.aeTitle ?? 'DICOMweb'})
                </option>
              ))}
            </select>
          </label>
          {sources.length > 1 && (
            <span role="radiogroup" aria-label="Query by" data-testid="query-source">
              Query by{' '}
              {sources.map((s) => (
                <label key={s}>
                  <input
                    type="radio"
                    name="query-source"
                    value={s}
                    checked={source === s}
                    onChange={() => setChosenSource(s)}
                    data-testid={`query-source-${s}`}
                  />{' '}
                  {s === 'dimse' ? 'DIMSE' : 'DICOMweb'}
                </label>
              ))}
            </span>
          )}
          <label>
            Patient name{' '}
            <input
              className="input"
              data-testid="query-name"
              placeholder="DOE or DOE^J*"
              {...field('patientName')}
            />
          </label>
          <label>
            Patient ID{' '}
            <input className="input" data-testid="query-patient-id" {...field('patientId')} />
          </label>
        </div>
        <div className="toolbar">
          <label>
            Study date from{' '}
            <input
              className="input"
              type="date"
              data-testid="query-date-from"
              {...field('dateFrom')}
            />
          </label>
          <label>
            to{' '}
            <input className="input" type="date" data-testid="query-date-to" {...field('dateTo')} />
          </label>
          <label>
            Modality{' '}
            <select className="input" data-testid="query-modality" {...field('modality')}>
              <option value="">any</option>
              {MODALITIES.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
          <label>
            Accession{' '}
            <input className="input" data-testid="query-accession" {...field('accessionNumber')} />
          </label>
          <button
            type="submit"
            className="button primary"
            data-testid="query-search"
            disabled={isSearching || form.destinationId === ''}
          >
            {isSearching ? 'Searching…' : 'Search'}
          </button>
        </div>
      </form>
      <ErrorMessage message={error ?? retrieves.error} />
      <RetrievePanel tasks={retrieves.tasks} onCancel={retrieves.cancel} />
      {studies !== null && studies.length === 0 && (
        <EmptyState title="No study on this PACS matches." testId="query-empty">
          A name matches from its start (DOE finds DOE^JOHN); widen the dates or clear the modality.
        </EmptyState>
      )}
      {studies !== null && studies.length > 0 && (
        <table className="table" data-testid="query-results">
          <thead>
            <tr>
              <th>Patient</th>
              <th>ID</th>
              <th>Date</th>
              <th>Description</th>
              <th>Modalities</th>
              <th>Accession</th>
              <th>Instances</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {studies.map((study) => {
              const open = series[study.studyInstanceUid];
              return [
                <tr
                  key={study.studyInstanceUid}
                  data-testid="query-study"
                  data-uid={study.studyInstanceUid}
                >
                  <td>{formatPersonName(study.patientName)}</td>
                  <td className="mono">{study.patientId ?? '—'}</td>
                  <td>{formatDicomDate(study.studyDate)}</td>
                  <td>{study.studyDescription ?? ''}</td>
                  <td>{study.modalities.join(', ')}</td>
                  <td className="mono">{study.accessionNumber ?? ''}</td>
                  <td>{study.instances ?? '?'}</td>
                  <td>
                    {study.isLocal && (
                      <span className="status-badge status-completed" data-testid="query-local">
                        Here
                      </span>
                    )}{' '}
                    <button
                      type="button"
                      className="button small"
                      data-testid="query-series-toggle"
                      aria-expanded={open !== undefined}
                      onClick={() => toggleSeries(study)}
                    >
                      {open === undefined ? 'Series' : 'Hide series'}
                    </button>{' '}
                    <button
                      type="button"
                      className="button small primary"
                      data-testid="query-retrieve"
                      onClick={() =>
                        retrieves.start({
                          destinationId: form.destinationId,
                          source: lastSource.current,
                          studyInstanceUid: study.studyInstanceUid,
                          label: studyLabel(study),
                          expected: study.instances,
                        })
                      }
                    >
                      Retrieve
                    </button>
                  </td>
                </tr>,
                open !== undefined && (
                  <tr key={`${study.studyInstanceUid}-series`} data-testid="query-series">
                    <td colSpan={8}>
                      {open === 'loading' ? (
                        <span className="muted">Asking the PACS for the series…</span>
                      ) : (
                        <table className="table">
                          <tbody>
                            {open.map((s) => (
                              <tr key={s.seriesInstanceUid} data-testid="query-series-row">
                                <td>{s.seriesNumber ?? ''}</td>
                                <td>{s.modality ?? ''}</td>
                                <td>{s.seriesDescription ?? ''}</td>
                                <td>{s.instances ?? '?'} instances</td>
                                <td>
                                  {s.isLocal && (
                                    <span
                                      className="status-badge status-completed"
                                      data-testid="query-series-local"
                                    >
                                      Here
                                    </span>
                                  )}{' '}
                                  <button
                                    type="button"
                                    className="button small"
                                    data-testid="query-series-retrieve"
                                    onClick={() =>
                                      retrieves.start({
                                        destinationId: form.destinationId,
                                        source: lastSource.current,
                                        studyInstanceUid: study.studyInstanceUid,
                                        seriesInstanceUid: s.seriesInstanceUid,
                                        label: `${studyLabel(study)} · ${s.seriesDescription ?? `series ${s.seriesNumber ?? ''}`}`,
                                        expected: s.instances,
                                      })
                                    }
                                  >
                                    Retrieve series
                                  </button>
                                </td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      )}
                    </td>
                  </tr>
                ),
              ];
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
