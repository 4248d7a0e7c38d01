/**
 * Files from a drag-and-drop: a dropped folder is walked (webkitGetAsEntry) so its files keep
 * their paths inside it, as with the folder picker.
 */
export interface PickedFile {
  path: string;
  file: File;
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(all);
        all.push(...batch);
        next();
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, prefix: string, out: PickedFile[], limit: number): Promise<void> {
  if (out.length >= limit) return;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path: `${prefix}${entry.name}`, file });
  } else if (entry.isDirectory) {
    for (const child of await readAll((entry as FileSystemDirectoryEntry).createReader())) {
      await walk(child, `${prefix}${entry.name}/`, out, limit);
    }
  }
}

/** The dropped files and folders, with the name to give the dataset (the first item's). */
export async function droppedFiles(dt: DataTransfer, limit: number): Promise<{ name: string; files: PickedFile[] }> {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  const files: PickedFile[] = [];
  if (entries.length === 0) {
    for (const f of dt.files) files.push({ path: f.name, file: f });
  } else {
    for (const e of entries) await walk(e, '', files, limit);
  }
  return { name: entries[0]?.name ?? files[0]?.path ?? 'dropped files', files };
}

/** Files from an <input type=file> (with webkitdirectory they carry their relative paths). */
export function pickedFiles(list: FileList): PickedFile[] {
  return [...list].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** The dataset's name: the picked folder's name, or the file name without its extension. */
export function datasetName(files: PickedFile[]): string {
  const first = files[0]?.path ?? 'import';
  if (first.includes('/')) return first.split('/')[0]!;
  const main = files.find((f) => /\.(zip|csv|json|tar\.gz|tgz|tar)$/i.test(f.path)) ?? files[0]!;
  return main.path.replace(/\.(tar\.gz|tgz|tar|zip|csv|json|png|jpe?g|webp|gif|bmp)$/i, '') || main.path;
}
