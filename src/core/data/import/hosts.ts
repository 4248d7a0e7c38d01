/**
 * The servers an import would contact: an index (CSV or JSON) may list image URLs, and none
 * is fetched before the learner has seen which hosts they are on and agreed. Pure.
 */

/** Said when the learner declines to contact the servers an index lists. */
export const HOSTS_DECLINED =
  'The import was cancelled before anything was downloaded: no server was contacted, nothing was saved, and your datasets, model and settings are unchanged. ' +
  'To use these images without downloading them here, download them yourself and import the folder.';

export interface UrlHost {
  /** Host name and port as the browser will contact it (IDN in its xn-- form, so look-alikes differ). */
  host: string;
  /** Images the index lists on it. */
  count: number;
  /**
   * False for http: on another site: the app's security policy (vite.config.ts, CSP) lets it
   * download only over https: and from its own site, so those fail (and are listed as skipped).
   */
  downloadable: boolean;
}

/**
 * Why `url` is not downloaded, or null: an http: address of another site (unencrypted, and
 * refused by the app's security policy). `origin` is the app's own (its http: is allowed).
 */
export function refusedUrl(url: string, origin: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'this is not a valid web address';
  }
  if (u.protocol === 'http:' && u.origin !== origin) {
    return 'this is an http: address (unencrypted), and the app downloads images only over https:. Use its https: address if the server has one, or download the image and import it from a folder';
  }
  return null;
}

/** The hosts of `urls`, most images first, then by name; a URL that does not parse is left out. */
export function urlHosts(urls: readonly string[], origin: string): UrlHost[] {
  const byKey = new Map<string, UrlHost>();
  for (const raw of urls) {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      continue; // fetching it fails on its own, and is listed as skipped
    }
    const downloadable = refusedUrl(raw, origin) === null;
    const key = `${u.protocol}//${u.host}`;
    const h = byKey.get(key);
    if (h) h.count++;
    else byKey.set(key, { host: u.host, count: 1, downloadable });
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count || a.host.localeCompare(b.host));
}
