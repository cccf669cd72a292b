import { useApi } from '../../api/api-context.js';
import { useAsync } from '../../app/use-async.js';
import { ErrorMessage } from '../../ui/error-message.js';

function signed(value: number | null, digits: number, unit: string): string {
  if (value === null) return '—';
  return `${value > 0 ? '+' : ''}${value.toFixed(digits)}${unit}`;
}

/**
 * Growth over time on the scan page: each lesion's volume and diameters at every analysed study
 * of the patient up to this one, the change in % and per month, and the plot the report prints.
 * Shown only when there is an earlier analysed study to compare with.
 */
export function GrowthPanel({ scanId, analysisId }: { scanId: string; analysisId: string }) {
  const api = useApi();
  const growth = useAsync(() => api.call('reports.growth', { scanId }), [api, scanId, analysisId]);
  if (growth.error !== null)
    return (
      <section className="panel growth-panel" aria-label="Growth over time">
        <ErrorMessage message={growth.error} />
      </section>
    );
  const data = growth.data;
  if (data === undefined || data.rows.length === 0) return null;
  return (
    <section
      className="panel growth-panel"
      aria-labelledby="growth-title"
      data-testid="growth-panel"
    >
      <h3 id="growth-title" className="panel-header">
        Growth over time
        <span className="muted"> · {data.timepoints.length} studies</span>
      </h3>
      {data.plotSvg !== null && (
        <img
          className="growth-plot"
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(data.plotSvg)}`}
          alt="Lesion volumes over time"
          data-testid="growth-plot"
        />
      )}
      <div className="table-wrap">
        <table className="table compact growth-table" data-testid="growth-table">
          <thead>
            <tr>
              <th scope="col">Study</th>
              <th scope="col" className="numeric" title="Volume and maximum 3D diameter">
                Size
              </th>
              <th
                scope="col"
                className="numeric"
                title="Volume change against the previous study, and per month"
              >
                Change
              </th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((row) => (
              <tr key={`${row.date}-${row.lesion}`} data-testid="growth-row">
                <td>
                  {row.date}
                  <div className="cell-sub muted">{row.lesion}</div>
                </td>
                <td className="numeric">
                  {row.volumeMl.toFixed(2)} mL
                  <div className="cell-sub muted">
                    ⌀ {row.maxDiameterMm === null ? '—' : `${row.maxDiameterMm.toFixed(1)} mm`}
                  </div>
                </td>
                <td className="numeric">
                  {signed(row.changePercent, 0, ' %')}
                  <div className="cell-sub muted">
                    {row.changePercentPerMonth === null
                      ? ''
                      : `${signed(row.changePercentPerMonth, 1, ' %')}/mo`}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.notes.length > 0 && <p className="muted small-note">{data.notes.join(' ')}</p>}
    </section>
  );
}
