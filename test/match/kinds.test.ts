import { describe, expect, it } from 'vitest';
import { formatDiff, isReadOnly, matchStep, recordedForm } from '../../src/match/index.js';
import { parseTranscript } from '../../src/match/curl.js';
import { parseGrpcError } from '../../src/match/grpcurl.js';
import { parseDisplayed, shapeOf } from '../../src/match/capture.js';
import { compareBuild } from '../../src/match/build.js';
import { canonicalLine } from '../../src/match/kube-lines.js';
import type { Step } from '../../src/core/model.js';
import { noSplits, seedPlan } from './seed.js';

const plan = seedPlan();
const withExpected = (s: Step, text: string): Step => ({ ...s, expected: { ...s.expected!, text } });

describe('curl transcripts', () => {
  it('reads the request line, the last response and the body, skipping * lines and request headers', () => {
    const t = parseTranscript(
      [
        '*   Trying 127.0.0.1:80...',
        '> POST /v2/x HTTP/1.1',
        '> Host: h',
        '>',
        '< HTTP/1.1 100 Continue',
        '<',
        '< HTTP/1.1 503 Service Unavailable',
        '< Content-Type: text/plain',
        '<',
        '{ [5 bytes data]',
        'no healthy upstream',
        '* Connection #0 to host 127.0.0.1 left intact',
      ].join('\r\n'),
    );
    expect(t).toEqual({
      request: { method: 'POST', target: '/v2/x' },
      status: 503,
      headers: [['content-type', 'text/plain']],
      body: 'no healthy upstream',
    });
  });

  it('reads -i output (headers on stdout) and a plain body', () => {
    expect(parseTranscript('HTTP/1.1 200 OK\r\nseldon-route: iris_1\r\n\r\n{"a":1}')).toEqual({
      status: 200,
      headers: [['seldon-route', 'iris_1']],
      body: '{"a":1}',
    });
    expect(parseTranscript('{"a":1}\n')).toEqual({ headers: [], body: '{"a":1}' });
  });

  it('compares a plain text body as text, with a unified diff', () => {
    const curl = withExpected(plan.steps[4]!, 'hello world');
    const r = matchStep(curl, { stdout: 'hello there', stderr: '', exitCode: 0 }, noSplits);
    expect(r.ok).toBe(false);
    expect(formatDiff(r.diff!, { color: false })).toBe('--- recorded\n+++ actual\n@@ -1,1 +1,1 @@\n-hello world\n+hello there');
  });

  it('a server with another version is the same server; a recorded header that went missing is a difference', () => {
    const curl = withExpected(plan.steps[4]!, '< HTTP/1.1 200 OK\n< server: envoy/1.2.3\n< x-custom: a\n<\n{}');
    const same = { stdout: '{}', stderr: '< HTTP/1.1 200 OK\r\n< server: envoy/1.29.0\r\n< x-custom: a\r\n<\r\n', exitCode: 0 };
    expect(matchStep(curl, same, noSplits).ok).toBe(true);
    const lost = { ...same, stderr: '< HTTP/1.1 200 OK\r\n< server: envoy\r\n<\r\n' };
    expect(formatDiff(matchStep(curl, lost, noSplits).diff!, { color: false })).toBe('headers.x-custom: expected "a", got (missing)');
  });

  it('prefers the structured HTTP data of the step when present', () => {
    const curl = withExpected(plan.steps[4]!, '< HTTP/1.1 200 OK\n<\n{"a":1}');
    const output = {
      stdout: 'ignored',
      stderr: '',
      exitCode: 0,
      data: { type: 'http' as const, status: 200, headers: {}, body: '{"a": 2}', httpVersion: '1.1' },
    };
    expect(formatDiff(matchStep(curl, output, noSplits).diff!, { color: false })).toBe('body.a: expected 1, got 2');
  });
});

describe('grpcurl', () => {
  const grpc = plan.steps[5]!;
  const error = 'ERROR:\n  Code: Unavailable\n  Message: connection refused';

  it('reads an ERROR block', () => {
    expect(parseGrpcError(`x\n${error}\n`)).toEqual({ code: 'Unavailable', message: 'connection refused' });
    expect(parseGrpcError('{}')).toBeUndefined();
  });

  it('compares an error by code and message', () => {
    const s = withExpected(grpc, error);
    expect(matchStep(s, { stdout: '', stderr: `${error}\n`, exitCode: 78 }, noSplits).ok).toBe(true);
    const other = { stdout: '', stderr: 'ERROR:\n  Code: NotFound\n  Message: connection refused\n', exitCode: 69 };
    expect(formatDiff(matchStep(s, other, noSplits).diff!, { color: false })).toBe('error.code: expected Unavailable, got NotFound');
    const answered = { stdout: grpc.expected!.text, stderr: '', exitCode: 0 };
    expect(formatDiff(matchStep(s, answered, noSplits).diff!, { color: false })).toContain('error: expected Code: Unavailable');
  });

  it('compares several streamed messages one by one', () => {
    const s = withExpected(grpc, '{\n  "a": "1"\n}\n{\n  "a": "2"\n}');
    expect(matchStep(s, { stdout: '{"a":"1"}\n{"a":"2"}\n', stderr: '', exitCode: 0 }, noSplits).ok).toBe(true);
    const r = matchStep(s, { stdout: '{"a":"1"}\n{"a":"3"}\n', stderr: '', exitCode: 0 }, noSplits);
    expect(formatDiff(r.diff!, { color: false })).toBe('[1].a: expected "2", got "3"');
  });
});

describe('build', () => {
  it('falls back to text when a side is not YAML objects', () => {
    const r = compareBuild('not: [valid', 'not: [valid', 'not: [valid');
    expect(r.ok).toBe(true);
    expect(compareBuild('a: 1', 'a: 2', 'a: 2').diff?.type).toBe('text');
  });

  it('reports an extra object and a changed apiVersion by path', () => {
    const model = 'apiVersion: mlops.seldon.io/v1alpha1\nkind: Model\nmetadata:\n  name: m\n';
    const r = compareBuild(model, `${model.replace('v1alpha1', 'v1')}---\nkind: Secret\nmetadata:\n  name: s\n`, '');
    expect(formatDiff(r.diff!, { color: false })).toBe(
      'Model m: apiVersion: expected "mlops.seldon.io/v1alpha1", got "mlops.seldon.io/v1"\nSecret s: expected (absent), got an object',
    );
  });
});

describe('kube line sets', () => {
  it('canonical forms', () => {
    expect(canonicalLine('apply', 'service/foo created')).toBe('service/foo applied');
    expect(canonicalLine('apply', 'service/foo serverside-applied', true)).toBe('service/foo serverside-applied');
    expect(canonicalLine('apply', 'model.mlops.seldon.io/iris created (server dry run)')).toBe('model.mlops.seldon.io/iris applied (server dry run)');
    expect(canonicalLine('delete', 'pod "x" deleted from default namespace')).toBe('pod "x" deleted');
    expect(canonicalLine('delete', 'pod "x" force deleted')).toBe('pod "x" deleted');
    expect(canonicalLine('wait', 'Warning: deprecated')).toBeUndefined();
    expect(canonicalLine('wait', 'error: timed out waiting for the condition on models/iris')).toBe(
      'error: timed out waiting for the condition on models/iris',
    );
  });

  it('an error where the recording had success fails', () => {
    const wait = plan.steps[3]!;
    const r = matchStep(wait, { stdout: '', stderr: 'error: timed out waiting for the condition on models/iris\n', exitCode: 1 }, noSplits);
    expect(r.diff).toEqual({
      type: 'lines',
      missing: ['model.mlops.seldon.io/iris condition met'],
      extra: ['error: timed out waiting for the condition on models/iris'],
    });
  });

  it('a recorded pattern line matches a generated name', () => {
    const wait = withExpected(plan.steps[3]!, 'pod/iris-[..] condition met');
    expect(matchStep(wait, { stdout: 'pod/iris-0 condition met\n', stderr: '', exitCode: 0 }, noSplits).ok).toBe(true);
    expect(matchStep(wait, { stdout: 'pod/other condition met\n', stderr: '', exitCode: 0 }, noSplits).ok).toBe(false);
  });
});

describe('capture', () => {
  it('shapes', () => {
    expect(['10.0.0.1', '::1', '42', 'a.b.example.com', 'iris', ''].map(shapeOf)).toEqual(['ipv4', 'ipv6', 'number', 'hostname', 'text', 'empty']);
    expect(parseDisplayed("['a', \"b'c\"]")).toEqual({ form: 'list', values: ['a', "b'c"] });
    expect(parseDisplayed("'x'")).toEqual({ form: 'string', values: ['x'] });
    expect(parseDisplayed('x y')).toEqual({ form: 'plain', values: ['x y'] });
  });

  it("records a value as Python's repr shows it (python3: repr('\\x85\\xa0\\u2028x') is '\\x85\\xa0\\u2028x')", () => {
    const capture = plan.steps[0]!;
    const form = (value: string) => recordedForm(capture, { stdout: '', stderr: '', exitCode: 0, data: { type: 'value', variable: 'V', value } });
    expect(form("it's")).toBe('"it\'s"');
    expect(form('a\\b\n\x01')).toBe("'a\\\\b\\n\\x01'");
    // C1 controls, NBSP and U+2028 are not printable to Python: match's own copy of repr left them raw.
    expect(form('\x85\xa0\u2028x')).toBe("'\\x85\\xa0\\u2028x'");
  });

  it('the recorded form of a capture is the value as IPython displays it', () => {
    const capture = plan.steps[0]!;
    const data = { type: 'value' as const, variable: 'INGRESS_IP', value: '10.0.0.7' };
    expect(recordedForm(capture, { stdout: '', stderr: '', exitCode: 0, data })).toBe("'10.0.0.7'");
    const list = { ...capture, args: { ...(capture.args as object), firstLine: false } } as Step;
    expect(recordedForm(list, { stdout: '', stderr: '', exitCode: 0, data: { ...data, value: 'a\nb\n' } })).toBe("['a', 'b']");
  });
});

describe('recordedForm', () => {
  it('curl: the transcript first, then the body, line endings as a terminal shows them', () => {
    const curl = plan.steps[4]!;
    expect(recordedForm(curl, { stdout: '{"a":1}', stderr: '* x\r\n< HTTP/1.1 200 OK\r\n<\r\n', exitCode: 0 })).toBe(
      '* x\n< HTTP/1.1 200 OK\n<\n{"a":1}',
    );
  });

  it('other kinds: stdout then stderr, no trailing newline', () => {
    const apply = plan.steps[2]!;
    expect(recordedForm(apply, { stdout: 'a created\n', stderr: 'Warning: w\n', exitCode: 0 })).toBe('a created\nWarning: w');
    expect(recordedForm(apply, { stdout: '', stderr: '', exitCode: 0 })).toBe('');
  });
});

describe('isReadOnly', () => {
  it('read-only kinds, and shell only when marked', () => {
    expect(plan.steps.map((s) => [s.kind, isReadOnly(s)])).toContainEqual(['apply', false]);
    expect(plan.steps.filter(isReadOnly).map((s) => s.kind)).toEqual(['capture', 'build', 'wait', 'curl', 'grpcurl', 'build', 'wait', 'curl', 'grpcurl']);
    const shell = { ...plan.steps[3]!, kind: 'shell', args: { script: 'ls' } } as Step;
    expect(isReadOnly(shell)).toBe(false);
    expect(isReadOnly({ ...shell, options: { readOnly: true } })).toBe(true);
  });

  it('seldon: reads and help are read-only, loads are not', () => {
    const seldon = (verb: string) => ({ ...plan.steps[3]!, kind: 'seldon', args: { command: { verb } } }) as unknown as Step;
    expect(['status', 'infer', 'help', 'load', 'unload', 'start'].filter((v) => isReadOnly(seldon(v)))).toEqual(['status', 'infer', 'help']);
  });
});

describe('formatDiff', () => {
  it('paths and lines, with and without colour', () => {
    const paths = { type: 'paths' as const, entries: [{ path: 'status', expected: '200', actual: '404' }] };
    expect(formatDiff(paths, { color: false })).toBe('status: expected 200, got 404');
    expect(formatDiff(paths, { color: true })).toBe('status: expected \x1b[32m200\x1b[0m, got \x1b[31m404\x1b[0m');
    const lines = { type: 'lines' as const, missing: ['a'], extra: ['b'] };
    expect(formatDiff(lines, { color: false })).toBe('recorded but not printed:\n- a\nprinted but not recorded:\n+ b');
  });
});

describe('curl progress meter', () => {
  it('is dropped from a real curl 7.88 -v transcript, including a row sharing a line with "* Trying"', async () => {
    const { readFileSync } = await import('node:fs');
    const stderr = readFileSync(new URL('./fixtures/curl-7.88-stderr.txt', import.meta.url), 'utf8');
    const curl = plan.steps[4]!;
    const shown = recordedForm(curl, { stdout: '<html></html>', stderr, exitCode: 0 });
    expect(shown.split('\n').slice(0, 2)).toEqual(['*   Trying 127.0.0.1:18765...', '* Connected to 127.0.0.1 (127.0.0.1) port 18765 (#0)']);
    expect(shown).not.toMatch(/% Total|Dload|\r|--:--:--/);
    expect(shown.split('\n').slice(-3)).toEqual(['{ [4404 bytes data]', '* Closing connection 0', '<html></html>']);
    expect(parseTranscript(shown).body).toBe('<html></html>');
    expect(parseTranscript(stderr)).toMatchObject({ request: { method: 'GET', target: '/' }, status: 200 });
  });
});
