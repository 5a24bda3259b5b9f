/**
 * Sets of field paths, as server-side apply tracks ownership. A path is a list of elements in the API server's
 * FieldsV1 spelling: `f:spec` (a field or map key), `k:{"name":"web"}` (an item of a list keyed by fields),
 * `v:"x"` (an item of a set), `i:0` (an index). A set holds whole paths; a path is a member when that node itself
 * is owned (a leaf, a list item, a map that was created whole), which FieldsV1 writes as `.` beside its children.
 */
import { isObject } from '../../core/json.js';

export type FieldPath = readonly string[];

const SEP = '\u0000';

export const encodePath = (path: FieldPath): string => path.join(SEP);
export const decodePath = (key: string): string[] => (key === '' ? [] : key.split(SEP));

/** Compact JSON with object keys sorted, as the API server writes `k:` keys and `v:` values. */
export function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(value[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

export class FieldSet {
  private readonly paths = new Set<string>();

  constructor(paths: Iterable<string> = []) {
    for (const p of paths) this.paths.add(p);
  }

  static of(paths: Iterable<FieldPath>): FieldSet {
    const set = new FieldSet();
    for (const p of paths) set.insert(p);
    return set;
  }

  insert(path: FieldPath): void {
    if (path.length > 0) this.paths.add(encodePath(path));
  }

  has(path: FieldPath): boolean {
    return this.paths.has(encodePath(path));
  }

  get size(): number {
    return this.paths.size;
  }

  *[Symbol.iterator](): IterableIterator<string[]> {
    for (const p of this.paths) yield decodePath(p);
  }

  union(other: FieldSet): FieldSet {
    return new FieldSet([...this.paths, ...other.paths]);
  }

  difference(other: FieldSet): FieldSet {
    return new FieldSet([...this.paths].filter((p) => !other.paths.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return new FieldSet([...this.paths].filter((p) => other.paths.has(p)));
  }

  /** The set without paths under (or at) any of `prefixes`. */
  without(prefixes: FieldPath[]): FieldSet {
    const keys = prefixes.map(encodePath);
    return new FieldSet([...this.paths].filter((p) => !keys.some((k) => p === k || p.startsWith(k + SEP))));
  }

  /** Only the paths under `prefix` (the prefix itself excluded). */
  under(prefix: FieldPath): FieldSet {
    const key = encodePath(prefix) + SEP;
    return new FieldSet([...this.paths].filter((p) => p.startsWith(key)));
  }

  /** FieldsV1: a trie of elements, `{}` for a member leaf, `.` for a member with children. */
  toFieldsV1(): Record<string, unknown> {
    const root: Record<string, unknown> = {};
    for (const path of this) {
      let node = root;
      for (const element of path) node = (node[element] ??= {}) as Record<string, unknown>;
    }
    const members = this.paths;
    const finish = (node: Record<string, unknown>, prefix: string[]): Record<string, unknown> => {
      const keys = Object.keys(node).sort(elementOrder);
      const out: Record<string, unknown> = {};
      if (keys.length > 0 && prefix.length > 0 && members.has(encodePath(prefix))) out['.'] = {};
      for (const key of keys) out[key] = finish(node[key] as Record<string, unknown>, [...prefix, key]);
      return out;
    };
    return finish(root, []);
  }

  static fromFieldsV1(fields: unknown): FieldSet {
    const set = new FieldSet();
    const visit = (node: unknown, prefix: string[]): void => {
      if (!isObject(node)) return;
      const keys = Object.keys(node).filter((k) => k !== '.');
      if (prefix.length > 0 && (keys.length === 0 || '.' in node)) set.insert(prefix);
      for (const key of keys) visit(node[key], [...prefix, key]);
    };
    visit(fields, []);
    return set;
  }
}

/** FieldsV1 order: fields, then keyed items, set values and indexes, each sorted by their text. */
function elementOrder(a: string, b: string): number {
  const rank = (e: string) => 'fkvi'.indexOf(e[0]!);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** `.spec.template.spec.containers[name="web"].image`: a path as the API server prints it in conflicts. */
export function pathString(path: FieldPath): string {
  return path
    .map((element) => {
      const body = element.slice(2);
      switch (element[0] ?? '') {
        case 'f':
          return `.${body}`;
        case 'k': {
          const keys = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.keys(keys).map((k) => `${k}=${JSON.stringify(keys[k])}`).join(',')}]`;
        }
        case 'v':
          return `[=${body}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}
