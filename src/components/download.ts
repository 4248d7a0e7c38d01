import type { DownloadFile } from '../state/modelsSlice';

/** Offers each file as a download through a temporary link. */
export function download(files: DownloadFile[]) {
  for (const f of files) {
    const url = URL.createObjectURL(new Blob([f.data], { type: f.type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = f.name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
