import { appUrl } from './appUrl';

/** Downloads one of the app's static files (a path relative to its base URL) as bytes. */
export async function fetchBytes(path: string): Promise<Uint8Array> {
  const url = appUrl(path);
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new Error(`Could not download ${path}: ${(err as Error).message}. Is the app's server still running?`);
  }
  if (!res.ok) throw new Error(`Could not download ${path}: the server answered ${res.status} ${res.statusText}.`);
  return new Uint8Array(await res.arrayBuffer());
}
