/**
 * Markdown prose rendered for a terminal (the workshop mode shows the prose before each step): headings bold
 * and underlined, lists with bullets, inline code highlighted, links as their text, HTML comments (runbook
 * directives) dropped. Parsing is marked's lexer; only the rendering is ours.
 */
import { marked, type Token, type Tokens } from 'marked';
import type { Style } from './style.js';
import { displayWidth, wrap } from './width.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, name: string) => {
    if (name[0] === '#') {
      const code = name[1]?.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[name.toLowerCase()] ?? m;
  });
}

function inline(tokens: readonly Token[] | undefined, s: Style): string {
  if (!tokens) return '';
  return tokens
    .map((t): string => {
      switch (t.type) {
        case 'strong':
          return s.bold(inline((t as Tokens.Strong).tokens, s));
        case 'em':
          return s.italic(inline((t as Tokens.Em).tokens, s));
        case 'del':
          return inline((t as Tokens.Del).tokens, s);
        case 'codespan': {
          const code = decode((t as Tokens.Codespan).text);
          // Without colour the backticks stay, so code still stands out.
          return s.enabled ? s.cyan(code) : `\`${code}\``;
        }
        case 'link':
          return s.underline(inline((t as Tokens.Link).tokens, s));
        case 'image':
          return (t as Tokens.Image).text;
        case 'br':
          return '\n';
        case 'html':
        case 'tag':
          return '';
        case 'text':
        case 'escape': {
          const text = t as Tokens.Text;
          return text.tokens ? inline(text.tokens, s) : decode(text.text);
        }
        default:
          return 'text' in t && typeof t.text === 'string' ? decode(t.text) : '';
      }
    })
    .join('');
}

function block(tokens: readonly Token[], s: Style, width: number): string[] {
  const blocks: string[] = [];
  for (const t of tokens) {
    const rendered = render(t, s, width);
    if (rendered !== undefined) blocks.push(rendered);
  }
  return blocks;
}

function render(t: Token, s: Style, width: number): string | undefined {
  switch (t.type) {
    case 'heading': {
      const h = t as Tokens.Heading;
      const text = inline(h.tokens, s).replace(/\n/g, ' ');
      if (s.enabled) return s.bold(s.underline(text));
      // No colour: underline the way plain-text documents do.
      return `${text}\n${(h.depth === 1 ? '=' : '-').repeat(Math.min(width, displayWidth(text)))}`;
    }
    case 'paragraph':
      return wrap(inline((t as Tokens.Paragraph).tokens, s), width);
    case 'text': {
      const text = t as Tokens.Text;
      return wrap(text.tokens ? inline(text.tokens, s) : decode(text.text), width);
    }
    case 'list':
      return list(t as Tokens.List, s, width);
    case 'code':
      return (t as Tokens.Code).text
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => `    ${s.cyan(line)}`)
        .join('\n');
    case 'blockquote':
      return block((t as Tokens.Blockquote).tokens, s, width - 2)
        .join('\n\n')
        .split('\n')
        .map((line) => `${s.dim('│')} ${line}`)
        .join('\n');
    case 'hr':
      return s.dim('─'.repeat(Math.min(width, 40)));
    case 'table': {
      const table = t as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((c) => inline(c.tokens, s)).join(' │ ');
      return [s.bold(row(table.header)), ...table.rows.map(row)].join('\n');
    }
    case 'space':
    case 'html':
    case 'def':
      return undefined;
    default:
      return 'text' in t && typeof t.text === 'string' ? wrap(decode(t.text), width) : undefined;
  }
}

function list(l: Tokens.List, s: Style, width: number): string {
  const start = typeof l.start === 'number' ? l.start : 1;
  return l.items
    .map((item, i) => {
      const bullet = l.ordered ? `${start + i}.` : '•';
      const marker = item.task ? `${bullet} [${item.checked ? 'x' : ' '}]` : bullet;
      const pad = ' '.repeat(displayWidth(marker) + 1);
      const body = block(item.tokens, s, width - pad.length - 2).join(item.loose ? '\n\n' : '\n');
      const lines = body.split('\n');
      return [`  ${s.enabled ? s.bold(marker) : marker} ${lines[0] ?? ''}`, ...lines.slice(1).map((line) => (line ? `  ${pad}${line}` : line))].join('\n');
    })
    .join('\n');
}

/** `markdown` as terminal text, `width` columns wide, blocks separated by one blank line. */
export function renderMarkdown(markdown: string, style: Style, width: number): string {
  const tokens = marked.lexer(markdown);
  return block(tokens, style, width)
    .filter((b) => b.trim().length > 0)
    .join('\n\n');
}
