// Module resolution hook for bench/lib/compiled.mjs: a module of src/ resolves to its compiled twin in
// dist/ (same path, .js), so the whole service is loaded once, from the build.
const SRC = new URL('../../src/', import.meta.url).href;
const DIST = new URL('../../dist/', import.meta.url).href;

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (!r.url.startsWith(SRC)) return r;
  return { ...r, url: DIST + r.url.slice(SRC.length).replace(/\.ts$/, '.js'), format: 'module' };
}
