import { useState } from 'react';
import { readNiftiHeader, type NiftiHeader } from '../../../../src-shared/dental/nifti-header.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';

/** The first bytes of a file, gunzipped when it is .gz (DecompressionStream, then stopped). */
async function headerBytes(data: ArrayBuffer, isGzip: boolean): Promise<Uint8Array> {
  if (!isGzip) return new Uint8Array(data, 0, Math.min(data.byteLength, 352));
  const reader = new Blob([data]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < 352) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** The NIfTI CBCT's whole header, field by field (the seed's NIfTI metadata). */
export function NiftiHeaderPanel({ file }: { file: { id: string; fileName: string } }) {
  const api = useApi();
  const [header, setHeader] = useState<NiftiHeader | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isLoading, setIsLoading] = useState(false);
  return (
    <div className="dental-nifti" data-testid="dental-nifti">
      {header === null && (
        <button
          type="button"
          disabled={isLoading}
          onClick={() => {
            setIsLoading(true);
            setError(null);
            api
              .stream('dental.file', { fileId: file.id })
              .then(({ data }) => headerBytes(data, /\.gz$/i.test(file.fileName)))
              .then((bytes) => setHeader(readNiftiHeader(bytes)))
              .catch((failure: unknown) => setError(errorMessage(failure)))
              .finally(() => setIsLoading(false));
          }}
          data-testid="dental-nifti-show"
        >
          {isLoading ? 'Reading the header…' : `Show the NIfTI header of ${file.fileName}`}
        </button>
      )}
      {error !== null && <ErrorMessage message={error} />}
      {header !== null && (
        <table className="table dental-nifti-table" data-testid="dental-nifti-table">
          <tbody>
            {header.fields.map((f) => (
              <tr key={f.name}>
                <th scope="row">{f.name}</th>
                <td>
                  <code>{f.value}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
