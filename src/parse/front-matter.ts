/**
 * Runbook-wide settings: YAML front matter in Markdown (`---` … `---` at the top of the file) or
 * `metadata.runbook` in a notebook. Unknown keys are left alone because documentation sites keep their own there,
 * except one that looks like a mistyped setting: `context:` for `contexts:` would silently drop a safety guard.
 */
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import type { FrontMatter } from '../core/model.js';
import { excerpt, InputError, type SourcePosition } from '../core/errors.js';
import { parseDuration } from '../core/duration.js';

/** Where the value at a key path sits (or, with `part` 'key', its key), for error messages. */
export type Locate = (path: string[], part?: 'key') => SourcePosition;

/** Checks the types of the known keys of `value` and converts durations to milliseconds. */
export function frontMatterFrom(value: unknown, locate: Locate): FrontMatter {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('front matter must be a map of settings (title, contexts, env, timeout, retry-budget, runbook)', locate([]));
  }
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    const near = mistypedSetting(key);
    if (near) {
      throw new InputError(
        `front matter key '${excerpt(key)}' is not a runbook setting; did you mean '${near}'? (a mistyped setting would be silently ignored; settings are ${SETTINGS.join(', ')})`,
        locate([key], 'key'),
      );
    }
  }
  const out: FrontMatter = {};
  if (v.runbook !== undefined) {
    if (typeof v.runbook !== 'boolean') throw new InputError('runbook must be true (every ```sh fence is a step) or false (not a runbook)', locate(['runbook']));
    out.runbook = v.runbook;
  }
  if (v.title !== undefined) {
    if (typeof v.title !== 'string') throw new InputError('title must be a string', locate(['title']));
    out.title = v.title;
  }
  if (v.contexts !== undefined) {
    if (!Array.isArray(v.contexts)) throw new InputError('contexts must be a list of context names or glob patterns', locate(['contexts']));
    v.contexts.forEach((c, i) => {
      if (typeof c !== 'string') throw new InputError(`contexts[${i}] must be a string`, locate(['contexts', String(i)]));
    });
    out.contexts = v.contexts as string[];
  }
  if (v.env !== undefined) {
    if (v.env === null || typeof v.env !== 'object' || Array.isArray(v.env)) {
      throw new InputError('env must be a map of variable names to strings', locate(['env']));
    }
    out.env = {};
    for (const [name, val] of Object.entries(v.env as Record<string, unknown>)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new InputError(`env: '${excerpt(name)}' is not a valid variable name`, locate(['env', name]));
      // Numbers and booleans are what YAML makes of PORT: 8080; the environment only holds strings.
      if (typeof val !== 'string' && typeof val !== 'number' && typeof val !== 'boolean') {
        throw new InputError(`env.${excerpt(name)} must be a string`, locate(['env', name]));
      }
      out.env[name] = String(val);
    }
  }
  for (const [key, field] of [
    ['timeout', 'timeoutMs'],
    ['retry-budget', 'retryBudgetMs'],
  ] as const) {
    const raw = v[key];
    if (raw === undefined) continue;
    const ms = typeof raw === 'string' ? parseDuration(raw) : undefined;
    if (ms === undefined || ms <= 0) throw new InputError(`${key} must be a duration such as 60s or 5m`, locate([key]));
    out[field] = ms;
  }
  return out;
}

/** Every front matter key the runbook reads. */
export const SETTINGS = ['title', 'contexts', 'env', 'timeout', 'retry-budget', 'runbook'] as const;

/** Spellings too far from a setting for the edit distance, but meant as one. */
const ALIASES: Record<string, string> = { environment: 'env', variables: 'env', vars: 'env', 'kube-context': 'contexts', 'kube-contexts': 'contexts' };

/**
 * The setting `key` is probably a typo of, if any: the same up to case and `_`/`-`, a known alias, or one edit
 * (a letter added, dropped, changed, or two swapped) away, two for `retry-budget`. Docs sites' own keys such as
 * `content:`, `nav:` or `id:` are further than that and left alone.
 */
export function mistypedSetting(key: string): string | undefined {
  if ((SETTINGS as readonly string[]).includes(key)) return undefined;
  const k = key.toLowerCase().replace(/_/g, '-');
  if (Object.hasOwn(ALIASES, k)) return ALIASES[k];
  return SETTINGS.find((s) => editDistance(s, k) <= (s.length >= 10 ? 2 : 1));
}

function editDistance(a: string, b: string): number {
  // Keys far longer than any setting cannot be within two edits; skip the quadratic table for them.
  if (Math.abs(a.length - b.length) > 2) return Infinity;
  // Optimal string alignment: Levenshtein plus the swap of two neighbours as one edit (`titel`).
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j]!, before[j - 2]! + 1);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

const MAX_FRONT_MATTER = 64 * 1024;

/**
 * Parses the YAML between the `---` lines. `firstLine` is the 1-based line of the first YAML line, so
 * errors point into the Markdown file.
 */
export function parseFrontMatter(file: string, yamlText: string, firstLine: number): FrontMatter {
  // yaml's duplicate-key check is quadratic in a map's keys: megabytes of front matter would take minutes.
  if (yamlText.length > MAX_FRONT_MATTER) {
    throw new InputError(`front matter is ${Math.round(yamlText.length / 1024)} KB; runbook settings must fit in 64 KB`, { file, line: firstLine - 1, column: 1 });
  }
  // logLevel 'error': yaml otherwise prints a Node warning on stderr for a key such as `? [a]` when converting.
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const at = (offset: number): SourcePosition => {
    let line = firstLine;
    let lineStart = 0;
    for (let i = yamlText.indexOf('\n'); i !== -1 && i < offset; i = yamlText.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return { file, line, column: offset - lineStart + 1 };
  };
  const bad = doc.errors[0];
  if (bad) throw new InputError(`front matter is not valid YAML: ${excerpt(bad.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''), 200)}`, at(bad.pos[0]));
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new InputError('front matter must be a map of settings (title, contexts, env, timeout, retry-budget, runbook)', at(doc.contents.range?.[0] ?? 0));
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // yaml refuses to expand aliases past a limit (a "billion laughs" document) only when converting.
    throw new InputError(`front matter is not valid YAML: ${excerpt(error instanceof Error ? error.message : String(error), 200)}`, at(doc.contents?.range?.[0] ?? 0), { cause: error });
  }
  return frontMatterFrom(value, (path, part) => at(part === 'key' ? keyOffset(doc, path[0]!) : rangeOf(doc, path)));
}

function keyOffset(doc: Document, key: string): number {
  const pair = isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && String(p.key.value) === key) : undefined;
  return (isScalar(pair?.key) ? pair.key.range?.[0] : undefined) ?? rangeOf(doc, [key]);
}

function rangeOf(doc: Document, path: string[]): number {
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return node.range[0];
  }
  return doc.contents?.range?.[0] ?? 0;
}
