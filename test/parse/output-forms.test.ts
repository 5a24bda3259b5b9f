/** What each recorded output form of a notebook means (README, "Recorded output forms of a notebook"). */
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/parse/index.js';

const notebook = (source: string, outputs: unknown[] | undefined) =>
  parseRunbook('n.ipynb', JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', metadata: {}, source, ...(outputs && { outputs }), execution_count: null }] }));
const recorded = (source: string, outputs: unknown[] | undefined) => notebook(source, outputs).steps.at(-1)?.expected?.text;
const stream = (name: string, text: string) => ({ output_type: 'stream', name, text });
const result = (type: 'execute_result' | 'display_data', data: Record<string, string>) => ({ output_type: type, metadata: {}, data });

describe('recorded output forms', () => {
  it('stdout streams, in order, each starting on a new line', () => {
    expect(recorded('!a\n!b', [stream('stdout', 'one'), stream('stdout', 'two\n')])).toBe('one\ntwo');
  });

  it("an execute_result's text/plain: the value of a trailing expression, after what the cell printed", () => {
    expect(recorded('print(1)\nx', [stream('stdout', '1\n'), result('execute_result', { 'text/plain': "'10.0.0.1'" })])).toBe("1\n'10.0.0.1'");
  });

  it("a display_data's text/plain, where it is the only form", () => {
    expect(recorded('display(x)', [result('display_data', { 'text/plain': 'shown' })])).toBe('shown');
    expect(recorded('display(df)', [result('display_data', { 'text/plain': 'shown', 'text/html': '<b>shown</b>' })])).toBeUndefined();
  });

  it('not stderr streams', () => {
    expect(recorded('!a', [stream('stderr', 'Warning: deprecated\n'), stream('stdout', 'ok\n')])).toBe('ok');
    expect(recorded('!a', [stream('stderr', 'Warning: deprecated\n')])).toBeUndefined();
  });

  it('no outputs (cleared, or never run): no recording, so exit status decides', () => {
    for (const outputs of [[], undefined]) {
      const plan = notebook('!kubectl get models -n seldon-mesh', outputs);
      expect(plan.steps).toHaveLength(1);
      expect(plan.steps[0]!.expected).toBeUndefined();
    }
  });
});
