/** Istio's StringMatch (`exact`, `prefix`, `regex`) compiled once into a predicate. */

export type Matcher = (value: string | undefined) => boolean;

/**
 * Compiles one StringMatch; an empty or unknown one matches anything present, as Envoy treats a bare
 * header match as "present". Regexes are full matches, as Envoy's RE2 safe_regex is. `ignoreCase` (a
 * VirtualService's `ignoreUriCase`) applies to exact and prefix matches only, as in Envoy.
 */
export function compileStringMatch(spec: unknown, options: { ignoreCase?: boolean } = {}): Matcher {
  const match = (spec ?? {}) as { exact?: unknown; prefix?: unknown; regex?: unknown };
  const fold = options.ignoreCase ? (value: string) => value.toLowerCase() : (value: string) => value;
  if (typeof match.exact === 'string') {
    const exact = fold(match.exact);
    return (value) => value !== undefined && fold(value) === exact;
  }
  if (typeof match.prefix === 'string') {
    const prefix = fold(match.prefix);
    return (value) => value !== undefined && fold(value).startsWith(prefix);
  }
  if (typeof match.regex === 'string') {
    const pattern = compileRegex(match.regex);
    // Istio rejects an invalid regex at admission; an unusable one here simply never matches.
    if (!pattern) return () => false;
    return (value) => value !== undefined && pattern.test(value);
  }
  return (value) => value !== undefined;
}

/** An RE2 pattern as a whole-string JavaScript RegExp, or undefined when JavaScript cannot compile it. */
export function compileRegex(source: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    return undefined;
  }
}

/** Host patterns of Gateways and VirtualServices: `*`, `*.suffix`, or an exact name (case-insensitive). */
export function compileHost(pattern: string): (host: string) => boolean {
  const host = hostPart(pattern);
  if (host === '*') return () => true;
  if (host.startsWith('*')) {
    const suffix = host.slice(1);
    // Envoy's wildcard never matches the empty string: `*.example.com` does not take `.example.com`.
    return (value) => value.length > suffix.length && value.endsWith(suffix);
  }
  return (value) => value === host;
}

/** A Gateway host without its namespace part (`ns/host`, `./host`, or any namespace), lowercase. */
export function hostPart(pattern: string): string {
  return (pattern.includes('/') ? pattern.slice(pattern.indexOf('/') + 1) : pattern).toLowerCase();
}
