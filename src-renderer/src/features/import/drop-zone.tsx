import { useEffect, useRef, useState, type DragEvent } from 'react';
import { filesFromDrop, filesFromInput } from './dropped-files.js';
import type { ChosenFile } from './upload-plan.js';

/** Drop files or folders here, or pick them: DICOM (folders, DICOMDIR CDs), PNG, JPEG, NIfTI. */
export function DropZone({
  onFiles,
  isDisabled,
}: {
  onFiles: (files: ChosenFile[]) => void;
  isDisabled: boolean;
}) {
  const [isOver, setIsOver] = useState(false);
  const [readError, setReadError] = useState<string | null>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // Not a React attribute: set on the element so the picker chooses folders.
    if (folderInput.current !== null) folderInput.current.webkitdirectory = true;
  }, []);

  function onDrop(event: DragEvent<HTMLDivElement>): void {
    event.preventDefault();
    setIsOver(false);
    if (isDisabled) return;
    setReadError(null);
    filesFromDrop(event.dataTransfer).then(
      (files) => onFiles(files),
      () =>
        setReadError('Some of the dropped items could not be read. Try the file or folder picker.'),
    );
  }

  return (
    <div
      className={`drop-zone${isOver ? ' over' : ''}${isDisabled ? ' disabled' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = isDisabled ? 'none' : 'copy';
        setIsOver(true);
      }}
      onDragLeave={() => setIsOver(false)}
      onDrop={onDrop}
      data-testid="drop-zone"
    >
      <p className="drop-title">Drop DICOM folders, files or images here</p>
      <p className="muted">DICOM series and CDs (DICOMDIR), PNG and JPEG images, NIfTI volumes.</p>
      <div className="drop-actions">
        <label className={`button primary${isDisabled ? ' disabled' : ''}`}>
          Choose files…
          <input
            type="file"
            multiple
            className="visually-hidden"
            disabled={isDisabled}
            onChange={(e) => {
              onFiles(filesFromInput(e.target.files));
              e.target.value = '';
            }}
            data-testid="import-file-input"
          />
        </label>
        <label className={`button${isDisabled ? ' disabled' : ''}`}>
          Choose a folder…
          <input
            ref={folderInput}
            type="file"
            multiple
            className="visually-hidden"
            disabled={isDisabled}
            onChange={(e) => {
              onFiles(filesFromInput(e.target.files));
              e.target.value = '';
            }}
            data-testid="import-folder-input"
          />
        </label>
      </div>
      {readError !== null && <p className="row-error">{readError}</p>}
    </div>
  );
}
