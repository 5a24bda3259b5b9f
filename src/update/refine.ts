/**
 * A recorded line that changed, rewritten as little as possible: when both versions are JSON (a curl body on one
 * line), only the values that really differ take the actual text; values the matcher treats as the same (an id,
 * a timestamp) stay as recorded, and so does the line's own layout.
 */
// The ESM build: the package's main entry is a UMD wrapper whose require() calls esbuild cannot follow.
import { parseTree, type Node, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { stringMatches } from '../match/json-compare.js';

function tree(text: string): Node | undefined {
  const errors: ParseError[] = [];
  const node = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  return errors.length === 0 && node && (node.type === 'object' || node.type === 'array') ? node : undefined;
}

const keyOf = (property: Node) => property.children?.[0]?.value as string | undefined;

/** The recorded line with the differing JSON values replaced, or undefined when either side is not JSON. */
export function refineJsonLine(recorded: string, actual: string): string | undefined {
  const r = tree(recorded);
  const a = tree(actual);
  if (!r || !a) return undefined;
  const edits: { offset: number; length: number; content: string }[] = [];
  const replace = (rn: Node, an: Node) => edits.push({ offset: rn.offset, length: rn.length, content: actual.slice(an.offset, an.offset + an.length) });

  const walk = (rn: Node, an: Node): void => {
    const rc = rn.children ?? [];
    const ac = an.children ?? [];
    if (rn.type === 'object' && an.type === 'object' && rc.length === ac.length && rc.every((p, k) => keyOf(p) === keyOf(ac[k]!))) {
      rc.forEach((p, k) => {
        const rv = p.children?.[1];
        const av = ac[k]!.children?.[1];
        if (rv && av) walk(rv, av);
      });
      return;
    }
    if (rn.type === 'array' && an.type === 'array' && rc.length === ac.length) {
      rc.forEach((c, k) => walk(c, ac[k]!));
      return;
    }
    if (rn.type === an.type && rn.type !== 'object' && rn.type !== 'array') {
      const same = rn.type === 'string' ? stringMatches(rn.value as string, an.value as string) : rn.value === an.value;
      if (same) return;
    }
    replace(rn, an);
  };
  walk(r, a);
  let out = recorded;
  for (const e of edits.sort((x, y) => y.offset - x.offset)) out = out.slice(0, e.offset) + e.content + out.slice(e.offset + e.length);
  return out;
}
