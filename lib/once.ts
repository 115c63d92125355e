/**
 * The first call's promise, kept for every later call: for a module loaded when first needed,
 * since an import() call costs a round trip through the loader's hooks (tsx) even for a module
 * already loaded.
 */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let kept: Promise<T> | undefined;
  return () => (kept ??= load());
}
