import { useDeferredValue, useState } from 'react';
import type { Instance } from '../../../../src-shared/contract/entities.js';
import { useApi } from '../../api/api-context.js';
import { useAsync } from '../../app/use-async.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { filterTags } from './tag-filter.js';

/** Rows drawn at most at once; a search narrows the rest down. */
const MAX_ROWS = 2_000;

/**
 * Every DICOM element of the instance on screen (`scans.tags` reads the stored file): tag, VR,
 * keyword and value, sequences indented under their items, private elements marked and named by
 * their creator, binary values summarised; with a search over all of it. Loaded when opened.
 */
export function TagBrowser({
  scanId,
  instances,
  index,
}: {
  scanId: string;
  instances: readonly Instance[];
  /** The slice on screen: its file is listed. */
  index: number;
}) {
  const api = useApi();
  const [isOpen, setIsOpen] = useState(false);
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search);
  const tags = useAsync(
    () => (isOpen ? api.call('scans.tags', { scanId, frame: index }) : Promise.resolve(null)),
    [api, scanId, index, isOpen],
  );
  const all = tags.data?.tags ?? [];
  const shown = filterTags(all, deferredSearch);
  return (
    <section className="panel tag-browser" data-testid="tag-browser">
      <details open={isOpen} onToggle={(e) => setIsOpen(e.currentTarget.open)}>
        <summary data-testid="tag-browser-toggle">
          <h3 className="inline">DICOM tags</h3>{' '}
          <span className="muted small">
            slice {index + 1}
            {instances.length > 1 ? ` · ${instances.length} instances` : ''}
          </span>
        </summary>
        {isOpen && (
          <>
            <input
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder="Search tag, keyword or value, e.g. 0010,0010"
              aria-label="Search the DICOM tags"
              data-testid="tag-search"
            />
            <ErrorMessage message={tags.error} />
            {tags.data !== undefined && tags.data !== null && (
              <p className="muted small" data-testid="tag-summary">
                {shown.length === all.length
                  ? `${all.length} elements`
                  : `${shown.length} of ${all.length} elements`}{' '}
                · {tags.data.transferSyntaxUid} · {tags.data.fileBytes} bytes
                {tags.data.notes.map((note) => (
                  <span key={note}>
                    <br />
                    {note}
                  </span>
                ))}
              </p>
            )}
            {tags.isLoading && (tags.data ?? null) === null && (
              <p className="muted small">Reading…</p>
            )}
            <div className="tag-table-scroll">
              <table className="tag-table">
                <tbody>
                  {shown.slice(0, MAX_ROWS).map((tag, i) => (
                    <tr
                      key={`${i}-${tag.tag}`}
                      className={tag.isPrivate ? 'private' : undefined}
                      data-testid="tag-row"
                      data-tag={tag.tag}
                    >
                      <td className="mono" style={{ paddingLeft: `${0.35 + tag.depth * 0.8}rem` }}>
                        {tag.tag}
                      </td>
                      <td className="mono">{tag.vr}</td>
                      <td>
                        <span className="tag-name">
                          {tag.name}
                          {tag.isPrivate && !tag.name.startsWith('Private') ? ' (private)' : ''}
                        </span>
                        {tag.value !== '' && <span className="value">{tag.value}</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {shown.length > MAX_ROWS && (
                <p className="muted small">
                  {shown.length - MAX_ROWS} more: search to narrow the list.
                </p>
              )}
            </div>
          </>
        )}
      </details>
    </section>
  );
}
