/**
 * `${VAR}` and `$VAR` substitution for typed step arguments, done without a shell (so no word splitting, no globbing).
 * An unknown variable becomes the empty string, as in the shell; a `$` not followed by a name stays as written.
 *
 * The rule is bash's, whatever the runbook's format: the parser has already made each source's own rule into it.
 * A console command (a ```sh fence, a `$ ` prompt, a `%%bash` cell) is bash: nothing expands inside single quotes
 * or after a backslash, so the parser spells such a dollar `$$`, which comes back here as one literal `$`. A
 * notebook's `!` line is IPython's: it expands `{name}` and `$name` before the shell runs, even inside quotes for
 * `{name}`; the parser (src/parse/ipython-interpolate.ts) rewrites the line into the bash text that does the same.
 */
export function substitute(text: string, vars: Readonly<Record<string, string>>): string {
  if (!text.includes('$')) return text;
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced?: string, bare?: string) => {
    if (match === '$$') return '$';
    const name = braced ?? bare ?? '';
    return Object.hasOwn(vars, name) ? (vars[name] ?? '') : '';
  });
}
