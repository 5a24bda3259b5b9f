/** Istio's StringMatch (`exact`, `prefix`, `regex`) compiled once into a predicate. */

export type Matcher = (value: string | undefined) => boolean;

/**
 * Compiles one StringMatch; an empty or unknown one matches anything present, as Envoy treats a bare
 * header match as "present". Regexes are full matches, as Envoy's RE2 safe_regex is.
 */
export function compileStringMatch(spec: unknown): Matcher {
  const match = (spec ?? {}) as { exact?: unknown; prefix?: unknown; regex?: unknown };
  if (typeof match.exact === 'string') {
    const exact = match.exact;
    return (value) => value === exact;
  }
  if (typeof match.prefix === 'string') {
    const prefix = match.prefix;
    return (value) => value !== undefined && value.startsWith(prefix);
  }
  if (typeof match.regex === 'string') {
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${match.regex})$`);
    } catch {
      // Istio rejects an invalid regex at admission; an unusable one here simply never matches.
      return () => false;
    }
    return (value) => value !== undefined && pattern.test(value);
  }
  return (value) => value !== undefined;
}

/** Host patterns of Gateways and VirtualServices: `*`, `*.suffix`, or an exact name (case-insensitive). */
export function compileHost(pattern: string): (host: string) => boolean {
  // Gateway hosts may carry a namespace (`ns/host`, `./host`, `*/host`); the host part is what matches.
  const host = (pattern.includes('/') ? pattern.slice(pattern.indexOf('/') + 1) : pattern).toLowerCase();
  if (host === '*') return () => true;
  if (host.startsWith('*.')) {
    const suffix = host.slice(1);
    return (value) => value.endsWith(suffix);
  }
  return (value) => value === host;
}
