/**
 * A CommonJS package loaded with import() from the bundle: when esbuild splits code, the namespace of a CJS module
 * shared between chunks may carry its exports only on `default`. Returns the object that holds the real exports.
 */
export function commonjs<T extends object>(namespace: T): T {
  const inner = (namespace as { default?: unknown }).default;
  return inner !== null && typeof inner === 'object' ? (inner as T) : namespace;
}
