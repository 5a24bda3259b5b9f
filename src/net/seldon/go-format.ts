/**
 * What Go's standard library prints, where the seldon CLI leans on it: `json.Indent` with a tab (REST answers keep
 * the server's key order and number spelling), `fmt`'s `%v` of a `map[string]int` (keys sorted), and
 * `text/tabwriter` with tab padding (the list tables).
 */

/** Go's `json.Indent(dst, src, "", "\t")`: the text's own tokens, re-laid out; undefined when it is not JSON. */
export function indentJson(text: string): string | undefined {
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  let out = '';
  let depth = 0;
  // Go writes `[]` and `{}` without a line between: an opener waits until something else follows it.
  let pendingOpen = false;
  const newline = () => '\n' + '\t'.repeat(depth);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (pendingOpen && c !== ']' && c !== '}') {
      pendingOpen = false;
      depth++;
      out += newline();
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '{' || c === '[') {
      out += c;
      pendingOpen = true;
    } else if (c === '}' || c === ']') {
      if (pendingOpen) pendingOpen = false;
      else {
        depth--;
        out += newline();
      }
      out += c;
    } else if (c === ',') {
      out += ',' + newline();
    } else if (c === ':') {
      out += ': ';
    } else {
      out += c;
    }
  }
  return out;
}

/** `fmt.Sprintf("%v", map[string]int{…})`: `map[k1:v1 k2:v2]`, keys in byte order. */
export function goMap(counts: ReadonlyMap<string, number>): string {
  const keys = [...counts.keys()].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : a === b ? 0 : 1));
  return `map[${keys.map((k) => `${k}:${counts.get(k)}`).join(' ')}]`;
}

/**
 * `tabwriter.NewWriter(w, 0, 8, 1, '\t', AlignRight)` then the text and Flush. Tab padding forces left alignment
 * (Go clears AlignRight for it); a column's cells are padded with tabs to the widest cell plus one, rounded up to 8;
 * the text after a line's last tab is no column and gets no padding. Columns are blocks of consecutive lines.
 */
export function tabwrite(text: string): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const widths: number[] = [];
  let out = '';
  const width = (s: string) => [...s].length;
  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      cells.forEach((cell, j) => {
        out += cell;
        if (j < widths.length && j < cells.length - 1) {
          const cellw = Math.ceil(widths[j]! / 8) * 8;
          out += '\t'.repeat(Math.ceil((cellw - width(cell)) / 8));
        }
      });
      if (i + 1 < lines.length) out += '\n';
    }
  };
  const format = (line0: number, line1: number) => {
    const column = widths.length;
    let start = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= lines[i]!.length - 1) continue;
      writeLines(start, i);
      start = i;
      let w = 0;
      for (; i < line1 && column < lines[i]!.length - 1; i++) w = Math.max(w, width(lines[i]![column]!) + 1);
      widths.push(w);
      format(start, i);
      widths.pop();
      start = i;
      // The loop's own i++ would skip the line that ended the block.
      i--;
    }
    writeLines(start, line1);
  };
  format(0, lines.length);
  return out;
}
