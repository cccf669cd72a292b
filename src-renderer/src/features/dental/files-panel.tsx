import { useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useAsync } from '../../app/use-async.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatBytes } from '../../ui/format.js';
import { Pager } from '../../ui/pager.js';
import { saveDownload } from '../../ui/save-download.js';

/**
 * The case's files from the registry (type, role, size, sha256) with a download each: the
 * `dental.file` stream answers the bytes with the file's MIME type (STL model/stl, CBCT
 * application/octet-stream), which the saved file keeps.
 */
export function FilesPanel({ caseId }: { caseId: string }) {
  const api = useApi();
  const [paging, setPaging] = useState({ page: 1, limit: 25 });
  const files = useAsync(
    () => api.call('dental.files.list', { caseId, page: paging.page, limit: paging.limit }),
    [api, caseId, paging],
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  return (
    <div className="dental-files" data-testid="dental-files">
      {files.error !== null && <ErrorMessage message={files.error} />}
      {files.data?.items.length === 0 && (
        <p className="muted">No stored files yet (a CBCT appears once its import has finished).</p>
      )}
      {files.data !== undefined && files.data.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>File</th>
              <th>Type</th>
              <th>Part</th>
              <th>Size</th>
              <th>SHA-256</th>
              <th>MIME type</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {files.data.items.map((f) => (
              <tr key={f.id} data-testid="dental-file-row" data-role={f.role}>
                <td>{f.fileName}</td>
                <td>{f.type.toUpperCase()}</td>
                <td>{f.role}</td>
                <td>{formatBytes(f.size)}</td>
                <td>
                  <code title={f.sha256}>{f.sha256.slice(0, 12)}…</code>
                </td>
                <td>{f.mimeType}</td>
                <td>
                  <button
                    type="button"
                    className="small"
                    disabled={busy !== null}
                    onClick={() => {
                      setBusy(f.id);
                      setError(null);
                      api
                        .stream('dental.file', { fileId: f.id })
                        .then(
                          ({ description, data }) =>
                            saveDownload(description.fileName, data, description.mimeType),
                          (failure: unknown) => setError(errorMessage(failure)),
                        )
                        .finally(() => setBusy(null));
                    }}
                    data-testid="dental-file-download"
                  >
                    {busy === f.id ? 'Downloading…' : 'Download'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {files.data !== undefined && files.data.total > paging.limit && (
        <Pager
          page={files.data.page}
          limit={files.data.limit}
          total={files.data.total}
          totalPages={files.data.totalPages}
          noun={['file', 'files']}
          onPage={(page) => setPaging((p) => ({ ...p, page }))}
          onLimit={(limit) => setPaging({ page: 1, limit })}
          testId="dental-files-pager"
        />
      )}
      {error !== null && <ErrorMessage message={error} />}
    </div>
  );
}
