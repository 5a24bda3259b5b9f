import { describe, expect, it } from 'vitest';
import { firstLine, formatDuration, sanitize } from '../../src/ui/text.js';
import { displayWidth, truncate } from '../../src/ui/width.js';

describe('sanitize', () => {
  it('keeps what a carriage return leaves on screen and turns CRLF into LF', () => {
    expect(sanitize('  0%\r 50%\r100%\ndone\r\n', false)).toBe('100%\ndone\n');
    expect(sanitize('> Host: x\r\n> \r\n', false)).toBe('> Host: x\n> \n');
    expect(sanitize('line\r', false)).toBe('line');
  });

  it('drops cursor movement, screen clearing, titles and bells; keeps colour only when asked', () => {
    const hostile = '\x1b[2J\x1b[H\x1b]0;pwned\x07red \x1b[31mtext\x1b[0m\x07\x08 end\x1b[1A';
    expect(sanitize(hostile, false)).toBe('red text end');
    expect(sanitize(hostile, true)).toBe('red \x1b[31mtext\x1b[0m end');
    expect(sanitize('tab\tkept', false)).toBe('tab\tkept');
  });
});

describe('text helpers', () => {
  it('formats durations for status lines', () => {
    expect([840, 1234, 12_400, 59_999, 125_000, 3_599_999].map(formatDuration)).toEqual(['840ms', '1.2s', '12s', '1m00s', '2m05s', '60m00s']);
  });

  it('shows the first line of a multi-line command with an ellipsis', () => {
    expect(firstLine('curl -v x \\\n  -d y')).toBe('curl -v x …');
    expect(firstLine('kubectl get pods')).toBe('kubectl get pods');
  });

  it('measures and truncates by terminal columns', () => {
    expect(displayWidth('\x1b[1mab\x1b[22m模型')).toBe(6);
    expect(truncate('模型模型', 5)).toBe('模型…');
    expect(truncate('abcdef', 6)).toBe('abcdef');
    expect(truncate('abcdefg', 6)).toBe('abcde…');
  });

  it('measures emoji as a terminal draws them: presentation selectors, ZWJ sequences and flags are two columns', () => {
    expect(displayWidth('⚠️')).toBe(2); // U+26A0 + VS16
    expect(displayWidth('👨‍👩‍👧')).toBe(2); // one glyph from three emoji and two joiners
    expect(displayWidth('🇩🇪')).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(truncate('👨‍👩‍👧👨‍👩‍👧x', 3)).toBe('👨‍👩‍👧…');
    // A wide character across the cut is left out rather than pushing the row one column over.
    expect(truncate('echo "🚀 デ', 8)).toBe('echo "…');
    // eslint-disable-next-line no-control-regex -- the style must survive the cut
    expect(truncate('\x1b[1mabcdef\x1b[22m', 4)).toMatch(/^\x1b\[1mabc(\x1b\[22m)?…/);
  });
});
