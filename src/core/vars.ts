/**
 * `${VAR}` and `$VAR` substitution for typed step arguments, done without a shell (so no word splitting, no globbing).
 * An unknown variable becomes the empty string, as in the shell; a `$` not followed by a name stays as written.
 */
export function substitute(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_match, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    return Object.hasOwn(vars, name) ? (vars[name] ?? '') : '';
  });
}
