/**
 * Parses of the same text shared by every runbook of a run: the build, apply and delete of one folder, and the
 * copies of a folder that each runbook of a doc set carries, parse its YAML once. Each caller gets its own copy.
 */
export function textMemo<T>(parse: (text: string) => T, limit = 64): (text: string) => T {
  const memo = new Map<string, T>();
  return (text) => {
    let value = memo.get(text);
    if (value === undefined) {
      value = parse(text);
      // Oldest first out: a run rarely has more distinct kustomizations than the limit.
      if (memo.size >= limit) memo.delete(memo.keys().next().value as string);
      memo.set(text, value);
    }
    return structuredClone(value);
  };
}
