/**
 * The URL of one of the app's static files (`datasets/mnist/…`, a path relative to the app's
 * root) as seen from a worker. The build uses a relative base (`./`, vite.config.ts), so the
 * same dist/ works at a site's root and under any sub-path: a worker then finds the root one
 * folder above its own file, which lies in `assets/`. The dev server, or a build with an
 * absolute `--base=/my/path/`, gives the root directly.
 */
export function appUrl(path: string): string {
  const base = import.meta.env.BASE_URL;
  const root = base.startsWith('/') ? new URL(base, self.location.origin) : new URL('../', import.meta.url);
  return new URL(path, root).href;
}
