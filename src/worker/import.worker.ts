/**
 * The import worker: reads the picked files, decodes images with the browser
 * (createImageBitmap + OffscreenCanvas), runs core's import pipeline and stores the dataset
 * in IndexedDB. A thin shell; the page cancels an import by terminating this worker, so a
 * cancelled import never leaves a half-written dataset (the save is one transaction).
 */
import { DataFormatError } from '../core/data/types';
import { ImportCancelled, runImport, type Decoded, type SourceFile } from '../core/data/import/pipeline';
import { classCounts } from '../core/data/import/assemble';
import { formatBytesCompared } from '../core/format';
import { IMPORT_LIMITS } from '../core/data/import/limits';
import { readImageHeader } from '../core/data/import/imageHeader';
import type { FromImporter, ToImporter } from '../protocol/importMessages';
import { IMPORT_PREFIX, saveImportedDataset } from '../storage/datasets';
import { readCapped } from '../core/data/import/stream';
import { refusedUrl } from '../core/data/import/hosts';

const scope = self as unknown as { postMessage(msg: FromImporter): void; onmessage: ((e: MessageEvent<ToImporter>) => void) | null };
const post = (m: FromImporter) => scope.postMessage(m);

/**
 * Decodes with the browser. An image much larger than the dataset size is first shrunk by the
 * browser (resizeQuality 'high', antialiased) to at most `maxSide`, so a 40-megapixel photo
 * never becomes a 480 MB float array; core's area resize then gives the exact size.
 */
async function decode(bytes: Uint8Array, maxSide: number): Promise<Decoded> {
  let bitmap: ImageBitmap;
  const header = readImageHeader(bytes);
  const scale = header ? Math.min(1, maxSide / Math.max(header.width, header.height)) : 1;
  const resize: ImageBitmapOptions =
    header && scale < 1
      ? { resizeWidth: Math.max(1, Math.round(header.width * scale)), resizeHeight: Math.max(1, Math.round(header.height * scale)), resizeQuality: 'high' }
      : {};
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none', ...resize });
  } catch {
    throw new DataFormatError('the browser could not decode this image (it is damaged or in a format it does not read)');
  }
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D canvas in this worker');
    ctx.drawImage(bitmap, 0, 0);
    const img = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return { width: img.width, height: img.height, channels: 4, data: img.data };
  } finally {
    bitmap.close();
  }
}

async function fetchUrl(url: string): Promise<Uint8Array> {
  const refused = refusedUrl(url, self.location.origin);
  if (refused) throw new DataFormatError(refused);
  let res: Response;
  try {
    res = await fetch(url, { mode: 'cors', credentials: 'omit' });
  } catch {
    throw new DataFormatError(
      'could not be fetched: the server is unreachable or does not let other sites read its images (CORS). Download the image and import it from a folder',
    );
  }
  if (!res.ok) throw new DataFormatError(`the server answered ${res.status} ${res.statusText}`.trim());
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > IMPORT_LIMITS.maxFileBytes) {
    const sizes = formatBytesCompared(length, IMPORT_LIMITS.maxFileBytes);
    throw new DataFormatError(`the file is ${sizes.a}, larger than the limit of ${sizes.b}`);
  }
  return readCapped(res.body, IMPORT_LIMITS.maxFileBytes);
}

/** The answers the page owes, by request id (one import at a time, but ids are cheap). */
const answers = new Map<number, (ok: boolean) => void>();

async function handle(msg: ToImporter) {
  if (msg.type === 'hostsAnswer') {
    answers.get(msg.requestId)?.(msg.ok);
    answers.delete(msg.requestId);
    return;
  }
  const { requestId } = msg;
  let last = 0;
  const files: SourceFile[] = msg.files.map((f) => ({
    path: f.path,
    size: f.file.size,
    read: async () => new Uint8Array(await f.file.arrayBuffer()),
  }));
  try {
    const result = await runImport(
      files,
      { id: `${IMPORT_PREFIX}${crypto.randomUUID()}`, name: msg.name, ...msg.options },
      {
        decode,
        fetchUrl,
        origin: self.location.origin,
        confirmHosts: (hosts, urls) =>
          new Promise<boolean>((resolve) => {
            answers.set(requestId, resolve);
            post({ type: 'confirmHosts', requestId, hosts, urls });
          }),
        cancelled: () => false, // the page terminates this worker to cancel
        progress(stage, done, total) {
          const now = performance.now();
          if (now - last < 100 && done < total) return;
          last = now;
          post({ type: 'importProgress', requestId, stage, done, total });
        },
      },
    );
    post({ type: 'importProgress', requestId, stage: 'Saving in the browser', done: 1, total: 1 });
    const meta = await saveImportedDataset(result.dataset, {
      createdAt: Date.now(),
      classCounts: classCounts(result.dataset),
      source: result.source,
    });
    const { schema: _schema, ...info } = meta;
    post({ type: 'imported', requestId, dataset: info, skipped: result.skipped, problems: result.problems });
  } catch (err) {
    const message =
      err instanceof ImportCancelled || err instanceof DataFormatError
        ? err.message
        : `The import failed: ${(err as Error).message}. Your model and settings are unchanged; check the files and try again.`;
    const listed = err as { skipped?: string[]; problems?: string[] };
    post({ type: 'importError', requestId, message, skipped: listed.skipped ?? [], problems: listed.problems ?? [] });
  }
}

scope.onmessage = (e) => void handle(e.data);
