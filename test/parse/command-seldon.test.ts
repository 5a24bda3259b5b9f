import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyCommand } from '../../src/parse/command.js';
import { parseJqPath } from '../../src/parse/command-seldon.js';

const IRIS = `'{"inputs": [{"name": "predict", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]}]}'`;

describe('seldon commands', () => {
  it('reads load, unload, status and its wait state', () => {
    expect(classifyCommand('seldon model load -f ./models/iris.yaml')).toEqual({
      kind: 'seldon',
      args: { command: { verb: 'load', resource: 'model', file: './models/iris.yaml' }, hosts: {}, verbose: false },
    });
    expect(classifyCommand('seldon experiment stop ab --scheduler-host 10.0.0.1:9004').args).toEqual({
      command: { verb: 'unload', resource: 'experiment', name: 'ab' },
      hosts: { scheduler: '10.0.0.1:9004' },
      verbose: false,
    });
    expect(classifyCommand('seldon model status iris -w ModelAvailable | jq -M .').args).toEqual({
      command: { verb: 'status', resource: 'model', name: 'iris', wait: 'ModelAvailable' },
      hosts: {},
      verbose: false,
      jq: { type: 'pretty' },
    });
    // Experiments wait with a bare -w.
    expect(classifyCommand('seldon experiment status ab -w').args).toMatchObject({ command: { wait: 'true' } });
  });

  it('reads every infer flag and the payload', () => {
    const typed = classifyCommand(
      `seldon model infer iris -i 50 -s --inference-mode grpc --inference-host \${MESH_IP}:80 --show-headers --header x-request-id=a --header b=c ${IRIS}`,
    );
    expect(typed).toEqual({
      kind: 'seldon',
      args: {
        command: {
          verb: 'infer',
          resource: 'model',
          name: 'iris',
          data: '{"inputs": [{"name": "predict", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]}]}',
          iterations: 50,
          mode: 'grpc',
          sticky: true,
          showHeaders: true,
          headers: ['x-request-id=a', 'b=c'],
        },
        hosts: { inference: '${MESH_IP}:80' },
        verbose: false,
      },
    });
  });

  it('reads pipeline inspect with its flags and a jq path', () => {
    expect(classifyCommand('seldon pipeline inspect tfsimple --offset 2 --verbose --format json --kafka-broker k:9092 | jq -M .topics[0].msgs').args).toEqual({
      command: { verb: 'inspect', resource: 'pipeline', expression: 'tfsimple', offset: 2, format: 'json', verbose: true, truncate: false },
      hosts: { kafka: 'k:9092' },
      verbose: true,
      jq: { type: 'path', path: ['topics', 0, 'msgs'] },
    });
  });

  it('falls back to the shell with a note for what it cannot run exactly', () => {
    const cases: [string, RegExp][] = [
      ['seldon model frobnicate iris', /seldon model frobnicate is not a command/],
      ['seldon model status iris --colour', /--colour is not one the typed step understands/],
      ['seldon model status iris | jq -r .x', /jq -r/],
      ["seldon model status iris | jq '.versions | length'", /not a plain path/],
      ['seldon model status iris | grep x', /piped into grep/],
      ['seldon model load', /needs -f FILE/],
      ['seldon model infer iris --inference-mode soap x', /soap is not rest or grpc/],
      ['seldon model infer iris -i many x', /'many' is not an integer/],
    ];
    for (const [command, note] of cases) {
      const typed = classifyCommand(command);
      expect(typed.kind, command).toBe('shell');
      expect(typed.kind === 'shell' ? typed.note : '', command).toMatch(note);
    }
  });

  it('leaves other commands alone', () => {
    expect(classifyCommand('seldonctl model load').kind).toBe('shell');
    expect(classifyCommand('echo seldon model load -f x').kind).toBe('shell');
  });

  it('reads jq paths', () => {
    expect(parseJqPath('.')).toEqual({ type: 'pretty' });
    expect(parseJqPath('.outputs[0].data')).toEqual({ type: 'path', path: ['outputs', 0, 'data'] });
    expect(parseJqPath('.["a b"].c')).toEqual({ type: 'path', path: ['a b', 'c'] });
    expect(parseJqPath('.a | length')).toBeUndefined();
  });

  it('never throws on any words after seldon: typed or shell with a note', () => {
    const word = fc.oneof(fc.constantFrom('model', 'pipeline', 'experiment', 'server', 'load', 'unload', 'status', 'infer', 'inspect', 'list', 'start', 'stop', '-f', '-w', '-i', '-s', '--offset', '--format', 'json', '|', 'jq', '-M', '.', '.a[0]', "'{}'", '--header', 'k=v'), fc.string());
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (words) => {
        const typed = classifyCommand(['seldon', ...words].join(' '));
        expect(['seldon', 'shell']).toContain(typed.kind);
      }),
      { numRuns: 500 },
    );
  });
});
