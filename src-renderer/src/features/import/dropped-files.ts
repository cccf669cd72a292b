import type { ChosenFile } from './upload-plan.js';

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries answers in batches (about 100 at a time) until it answers an empty one.
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = (): void =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, prefix: string, out: ChosenFile[]): Promise<void> {
  const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
  if (entry.isFile) {
    out.push({ file: await fileOf(entry as FileSystemFileEntry), path });
  } else if (entry.isDirectory) {
    const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
    for (const child of children) await walk(child, path, out);
  }
}

/**
 * Files and whole folders dropped on the page, with their relative paths (a dropped CD folder
 * keeps its structure). Entries must be taken during the drop event, before any await.
 */
export async function filesFromDrop(transfer: DataTransfer): Promise<ChosenFile[]> {
  const entries = [...transfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry());
  if (entries.every((entry) => entry === null)) {
    return [...transfer.files].map((file) => ({ file, path: file.name }));
  }
  const out: ChosenFile[] = [];
  for (const entry of entries) if (entry !== null) await walk(entry, '', out);
  return out;
}

/** Files from an <input type="file">; a folder picker gives each its path inside the folder. */
export function filesFromInput(list: FileList | null): ChosenFile[] {
  return [...(list ?? [])].map((file) => ({
    file,
    path: file.webkitRelativePath !== '' ? file.webkitRelativePath : file.name,
  }));
}
