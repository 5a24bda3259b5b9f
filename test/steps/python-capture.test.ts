/** The kernel's output streams cut into cells by markers, and the control channel's frames. */
import { describe, expect, it } from 'vitest';
import { MarkedStream } from '../../steps/python/capture.js';
import { encodeFrame, FrameReader } from '../../steps/python/frames.js';

const marker = '\u0000runbook-cell-abc\u0000';

function feed(stream: MarkedStream, chunks: Buffer[]) {
  const seen: string[] = [];
  let ended = false;
  stream.begin(marker, (text) => seen.push(text), () => (ended = true));
  for (const chunk of chunks) stream.push(chunk);
  return { seen, ended: () => ended };
}

describe('MarkedStream', () => {
  it('ends a cell at its marker wherever the chunks split it', () => {
    const whole = Buffer.from(`héllo\nworld${marker}late`);
    for (let cut = 0; cut <= whole.length; cut++) {
      const stream = new MarkedStream();
      const run = feed(stream, [whole.subarray(0, cut), whole.subarray(cut)]);
      expect(run.ended()).toBe(true);
      expect(stream.end()).toEqual({ text: 'héllo\nworld', dropped: 0 });
    }
  });

  it('streams output at once unless its end may begin the marker', () => {
    const stream = new MarkedStream();
    const run = feed(stream, [Buffer.from('looping\n'), Buffer.from('almost\u0000run')]);
    expect(run.seen.join('')).toBe('looping\nalmost');
    expect(run.ended()).toBe(false);
    // The kernel died: what was held back was output after all.
    expect(stream.end().text).toBe('looping\nalmost\u0000run');
  });

  it('keeps its start and its end, says how much it dropped between, and still finds the marker', () => {
    const stream = new MarkedStream(10, 4);
    const run = feed(stream, [Buffer.from('0123456789abcdef'), Buffer.from('ghij'), Buffer.from(`klmn${marker}`)]);
    expect(run.ended()).toBe(true);
    expect(stream.end()).toEqual({ text: '0123456789\n[runbook: 10 bytes not kept]\nklmn', dropped: 10 });
    expect(run.seen.join('')).toBe('0123456789\n[runbook: 10 bytes not kept]\nklmn');
  });

  it('does not start the kept end inside a UTF-8 sequence', () => {
    const stream = new MarkedStream(2, 2);
    feed(stream, [Buffer.from(`ab..é!${marker}`)]);
    // 'é' is two bytes: the last two bytes begin with its second one, which goes with the dropped ones.
    expect(stream.end()).toEqual({ text: 'ab\n[runbook: 4 bytes not kept]\n!', dropped: 4 });
  });

  it('drops what comes between cells', () => {
    const stream = new MarkedStream();
    stream.push(Buffer.from('background noise'));
    const run = feed(stream, [Buffer.from(`x${marker}`)]);
    expect(run.ended()).toBe(true);
    expect(stream.end().text).toBe('x');
  });
});

describe('frames', () => {
  it('reads back messages however the bytes are split', () => {
    const bytes = Buffer.concat([encodeFrame({ t: 'ready' }), encodeFrame({ t: 'done', vars: { A: 'ü\n' } })]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const reader = new FrameReader();
      expect([...reader.push(bytes.subarray(0, cut)), ...reader.push(bytes.subarray(cut))]).toEqual([{ t: 'ready' }, { t: 'done', vars: { A: 'ü\n' } }]);
    }
  });
});
