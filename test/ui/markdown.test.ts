import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/ui/markdown.js';
import { createStyle } from '../../src/ui/style.js';
import { stripAnsi } from '../../src/ui/text.js';
import { displayWidth, wrap } from '../../src/ui/width.js';

const plain = createStyle(false);
const color = createStyle(true);

describe('renderMarkdown', () => {
  it('renders headings, lists, code, links and entities as terminal text', () => {
    const md = [
      '## Traffic Split',
      '',
      'Send 50% to *each* model &amp; compare, see [the guide](https://docs.example/x).',
      '',
      '1. apply `config/traffic-split`',
      '2. wait',
      '   - nested',
      '',
      '```bash',
      'kubectl get models',
      '```',
      '',
      '> note',
      '',
      '<!-- runbook: skip -->',
    ].join('\n');
    expect(renderMarkdown(md, plain, 80)).toBe(
      [
        'Traffic Split',
        '-------------',
        '',
        'Send 50% to each model & compare, see the guide.',
        '',
        '  1. apply `config/traffic-split`',
        '  2. wait',
        '       • nested',
        '',
        '    kubectl get models',
        '',
        '│ note',
      ].join('\n'),
    );
  });

  it('styles headings bold and underlined and inline code in colour when colour is on', () => {
    const out = renderMarkdown('# Title\n\nrun `kubectl`', color, 80);
    expect(out).toBe('\x1b[1m\x1b[4mTitle\x1b[24m\x1b[22m\n\nrun \x1b[36mkubectl\x1b[39m');
  });

  it('wraps paragraphs and list items to the width, hanging list text under its bullet', () => {
    const long = 'word '.repeat(30).trim();
    const out = renderMarkdown(`${long}\n\n* ${long}`, plain, 40);
    for (const line of out.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    const items = out.split('\n\n')[1]!.split('\n');
    expect(items[0]!.startsWith('  • word')).toBe(true);
    expect(items[1]!.startsWith('    word')).toBe(true);
  });
});

describe('wrap', () => {
  it('measures styled text by what is visible and cuts words longer than a line', () => {
    expect(wrap(`${color.bold('aaaa')} bbbb cccc`, 10)).toBe(`${color.bold('aaaa')} bbbb\ncccc`);
    expect(stripAnsi(wrap('x'.repeat(25), 10))).toBe('xxxxxxxxxx\nxxxxxxxxxx\nxxxxx');
  });
});
