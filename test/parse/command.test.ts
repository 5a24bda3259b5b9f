import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quote } from 'shell-quote';
import { classifyCommand, classifyKubeGet, type Classified } from '../../src/parse/command.js';
import { substitute } from '../../src/core/vars.js';

const KINDS = ['build', 'apply', 'wait', 'delete', 'curl', 'grpcurl', 'shell'];

describe('plain shell commands', () => {
  it.each([
    'helm install seldon-core-v2 seldon/seldon-core-v2-setup -n seldon-mesh',
    'cat ./models/iris.yaml',
    "kubectl get model iris -n seldon-mesh -o json | jq -M .status",
    'kubectl get pods',
    'kubectl describe model iris',
    'kubectl logs deploy/x',
    'kubectl',
    'sleep 5 && echo done',
    'cd config; ls',
    'export FOO=bar',
    'FOO=bar',
    'echo "$(date)"',
    'for i in 1 2; do echo $i; done',
    'kustomize',
    'istioctl version',
    '',
    '   ',
  ])('%j is shell without a note', (command) => {
    expect(classifyCommand(command)).toEqual({ kind: 'shell', args: { script: command } });
  });

  it('strips the IPython ! escape from the script', () => {
    expect(classifyCommand('!cat x.yaml')).toEqual({ kind: 'shell', args: { script: 'cat x.yaml' } });
    expect(classifyCommand('  !cat x.yaml')).toEqual({ kind: 'shell', args: { script: '  cat x.yaml' } });
  });

  it('keeps continuations in the shell script, for the shell to join', () => {
    const command = 'helm install x \\\n  --set a=b';
    expect(classifyCommand(command)).toEqual({ kind: 'shell', args: { script: command } });
  });

  it('says why a typed tool that a shell-only construct wraps runs in the shell', () => {
    expect(classifyCommand('curl http://x/$(cat path)').note).toBe('runs in the shell: curl uses command substitution ($(…))');
    expect(classifyCommand('kubectl delete model iris || true').note).toBe("runs in the shell: kubectl delete uses the shell operator '||'");
    expect(classifyCommand('curl "http://x').note).toContain('unclosed double quote');
    expect(classifyCommand('curl http://${}').note).toContain('cannot be split into words');
  });
});

describe('word splitting', () => {
  it('joins backslash-newline continuations outside single quotes, as bash does', () => {
    expect(classifyCommand('kubectl apply -f con\\\nfig.yaml')).toMatchObject({ args: { source: { paths: ['config.yaml'] } } });
    expect(classifyCommand('kubectl apply -f "con\\\nfig.yaml"')).toMatchObject({ args: { source: { paths: ['config.yaml'] } } });
    expect(classifyCommand("kubectl apply -f 'con\\\nfig.yaml'")).toMatchObject({ args: { source: { paths: ['con\\\nfig.yaml'] } } });
    expect(classifyCommand('kubectl apply \\\r\n -f x.yaml')).toMatchObject({ kind: 'apply', args: { source: { paths: ['x.yaml'] } } });
  });

  it('keeps $VAR and ${VAR} references as written, and spells a dollar bash leaves alone $$', () => {
    const c = classifyCommand(
      `curl "http://\${HOST}:$PORT/\${A}x$B" -H '\${NOT}' -H "\\\${ESC}" -H \\$LIT -H "$$" -H "\${V:-d}" -H $1`,
    );
    expect(c).toMatchObject({
      kind: 'curl',
      args: { url: 'http://${HOST}:$PORT/${A}x$B', headers: ['$${NOT}', '$${ESC}', '$$LIT', '$$', '${V:-d}', '$1'] },
    });
  });

  it('does not take ANSI-C quoted text for a reference or a command substitution', () => {
    expect(classifyCommand("curl -d $'a\\'$(b)' http://x")).toMatchObject({ kind: 'curl', args: { data: [{ value: "a'$$(b)" }] } });
  });

  it('reads words as the shell quoted them (round trip through shell-quote quote())', () => {
    // `!` inside double quotes keeps its backslash in bash, so quote()'s escaping of it is not a round trip.
    const text = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !s.includes('!'));
    fc.assert(
      fc.property(text, text, (header, data) => {
        const c = classifyCommand(`curl -H ${quote([header])} -d ${quote([data])} http://x`);
        // Every dollar quote() writes is quoted, so literal: spelled `$$`, it substitutes back to itself.
        const literal = (s: string) => s.replaceAll('$', '$$$$');
        expect(c).toMatchObject({ kind: 'curl', args: { headers: [literal(header)], data: [{ flag: 'data', value: literal(data) }] } });
        if (c.kind === 'curl') expect(substitute(c.args.data[0]!.value, { x: 'X' })).toBe(data);
      }),
      { numRuns: 200 },
    );
  });
});

/** Tokens that make typed-looking commands, so the properties reach the typed parsers and not only the fallback. */
const token = fc.oneof(
  fc.constantFrom(
    'kubectl', 'apply', 'wait', 'delete', 'get', 'kustomize', 'build', 'curl', 'grpcurl', '-f', '-', '-k', '-n', '-l',
    '-A', '-R', '--all', '--for', 'condition=ready', '--for=delete', '--timeout=5m', '--timeout', '300s', 'model',
    'model/iris', '-o', "jsonpath='{.a}'", '-v', '-sS', '-XPOST', '-H', "'A: b'", '-d', '@f', '--data-raw', '-m', '5',
    '-plaintext', '-proto', 'p.proto', '-import-path', 'apis', '${IP}:80', 'svc.M/x', 'list', 'describe', 'http://x',
    '|', '&&', ';', '>', '\\\n', '"', "'", '$', '${', '}', '`', '$(', '#', '!', '--', '=', '-nfoo', '--server-side',
    '--dry-run=client', '--wait=false', '--ignore-not-found', '--prune', '--compressed', '-format', 'text',
  ),
  fc.string({ maxLength: 8 }),
);
const tool = fc.constantFrom('kubectl apply', 'kubectl wait', 'kubectl delete', 'kustomize build', 'curl', 'grpcurl', '');
const commandLike = fc.tuple(tool, fc.array(token, { maxLength: 14 })).map(([t, words]) => [t, ...words].join(' '));

function withoutText(c: Classified): unknown {
  return c.kind === 'shell' ? { kind: 'shell' } : { kind: c.kind, args: c.args };
}

describe('properties', () => {
  it('classifyCommand never throws, and returns a known kind (arbitrary strings)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), commandLike), (command) => {
        const c = classifyCommand(command);
        expect(KINDS).toContain(c.kind);
        if (c.kind === 'shell') expect(c.args.script).toBe(command.replace(/^(\s*)!/, '$1'));
        expect(JSON.parse(JSON.stringify(c))).toEqual(c);
      }),
      { numRuns: 1000 },
    );
  });

  it('classifyKubeGet never throws (arbitrary strings)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), commandLike), (command) => {
        const get = classifyKubeGet(command);
        if (get !== undefined) expect(typeof get.jsonpath).toBe('string');
      }),
      { numRuns: 1000 },
    );
  });

  it('typed command-like input reaches typed kinds often enough to be a meaningful property', () => {
    const kinds = new Set(fc.sample(commandLike, { numRuns: 3000, seed: 1 }).map((c) => classifyCommand(c).kind));
    expect(kinds.size).toBeGreaterThanOrEqual(4);
  });

  it('a continuation between words classifies like a space', () => {
    const words = fc.array(token.filter((t) => !/[\\"'`$#!]/.test(t) && t.trim() !== '' && !/\s/.test(t)), { minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(words, (list) => {
        const flat = classifyCommand(list.join(' '));
        const wrapped = classifyCommand(list.join(' \\\n    '));
        expect(withoutText(wrapped)).toEqual(withoutText(flat));
      }),
      { numRuns: 500 },
    );
  });
});
