/**
 * Brace and tilde expansion in typed commands, checked against the real bash: the words a typed step gets (with
 * HOME substituted as the runner does) must be the words bash passes to the program.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { substitute } from '../../src/core/vars.js';
import { classifyCommand } from '../../src/parse/command.js';
import { Fallback, splitPipeline } from '../../src/parse/command-words.js';

const HOME = '/home/u';

/** The words of each command as bash passes them to a program (globbing off, HOME set). */
function bashWords(commands: readonly string[]): string[][] {
  const script = ['set -f', ...commands.map((c) => `printf '%s\\0' ${c}; printf '\\1'`)].join('\n');
  const child = spawnSync('bash', ['-c', script], { env: { PATH: process.env.PATH ?? '', HOME }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (child.status !== 0) throw new Error(`bash failed (${String(child.status)}): ${child.stderr}`);
  const out = child.stdout.split('\x01');
  out.pop();
  return out.map((words) => words.split('\0').slice(0, -1));
}

/** Our words, as the step will see them; undefined when the command is left to the shell. */
function ourWords(command: string): string[] | undefined {
  try {
    const stages = splitPipeline(command);
    return stages[0]?.map((w) => substitute(w, { HOME }));
  } catch (error) {
    if (error instanceof Fallback) return undefined;
    throw error;
  }
}

const examples = [
  'kubectl apply -f ~/x.yaml',
  'kubectl apply -f ~',
  'curl {a,b}c pre{a,b}post {} {a} "{a,b}" {a,"b"} a{b,c{d,e}} \\{a,b} {a,b\\}',
  'curl {~/a,b} ~"/x" "~/x" x~/y =~/z --f=~ --kubeconfig=~/k x:~/y',
  'curl a=~/x a=b:~/c:~ "a"=~/x a\\=~/x a=~ a=x~ a="~"/x b_1=~/k A=~:~/y a=:~/b',
  'curl ~/"x" ~\\/x {a,b}=~/q a={b,~/c} ~/{a,b} {,a} {a,} {,} "{"a,b} {a,b}{c,d} ${HOME}/{a,b} a=~:{x,y}',
  "curl {a,'b,c'} {a\\,b,c} $'{a,b}' {${HOME},x}",
];

describe('brace and tilde expansion', () => {
  it.each(examples)('%s gives the words bash gives', (command) => {
    const [words] = bashWords([command]);
    expect(ourWords(command)).toEqual(words);
  });

  it('leaves what bash looks up elsewhere to the shell, with a note', () => {
    for (const [command, note] of [
      ['kubectl apply -f ~root/x.yaml', 'runs in the shell: kubectl apply uses ~root (a home or directory bash looks up)'],
      ['kubectl apply -f ~+/x.yaml', 'runs in the shell: kubectl apply uses ~+ (a home or directory bash looks up)'],
      ['kubectl delete pod/p{1..3}', 'runs in the shell: kubectl delete uses the brace sequence {1..3}'],
      ['curl -d {a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b} h', 'runs in the shell: curl expands braces into more than 10,000 words'],
    ] as const) {
      expect(classifyCommand(command)).toMatchObject({ kind: 'shell', note });
    }
  });

  it('a typed step reads ~ as ${HOME}, substituted when it runs', () => {
    expect(classifyCommand('kubectl apply -f ~/x.yaml')).toMatchObject({ kind: 'apply', args: { source: { type: 'files', paths: ['${HOME}/x.yaml'] } } });
    const deletion = classifyCommand('kubectl delete model iris{1,2} -n seldon-mesh');
    expect(deletion.kind).toBe('delete');
    expect(JSON.stringify(deletion.args)).toContain('["iris1","iris2"]');
  });

  // A quadratic reader takes minutes on these inputs and a linear one milliseconds; the bound leaves room for a
  // loaded machine (speed itself is measured by npm run bench and npm run fuzz, not by unit tests).
  it('reads 60 KB of braces in linear time', () => {
    const start = performance.now();
    expect(splitPipeline(`curl ${'{'.repeat(60_000)}`)[0]?.[1]).toHaveLength(60_000);
    expect(splitPipeline(`curl ${'{a}'.repeat(20_000)}`)[0]?.[1]).toHaveLength(60_000);
    expect(splitPipeline(`curl ${'a~{,'.repeat(15_000)}`)[0]?.[1]).toHaveLength(60_000);
    expect(classifyCommand(`curl ${'~{,'.repeat(20_000)}`)).toMatchObject({ kind: 'shell', note: 'runs in the shell: curl uses ~{,~{,~{,~{,~{,~{,~… (a home or directory bash looks up)' });
    expect(performance.now() - start).toBeLessThan(15_000);
  });

  it('generated words give the words bash gives', () => {
    // No bare single quote: the runner substitutes ${HOME} even inside '…' (a separate bug), bash does not.
    const piece = fc.constantFrom('~', '~', '/', 'a', 'b', '{', '{', '}', '}', ',', ',', '=', ':', 'x=', '-', '.', '..', '1', '"~"', "'{'", '"a,b"', '\\,', '\\{', '\\~', '${HOME}', '"', ' ');
    const command = fc.array(fc.array(piece, { minLength: 1, maxLength: 7 }).map((p) => p.join('')), { minLength: 1, maxLength: 4 }).map((words) => `curl ${words.join(' ')}`);
    const commands = fc.sample(command, { numRuns: 3000, seed: 7 });
    const typed = commands.map((c) => ({ c, ours: ourWords(c) })).filter((x): x is { c: string; ours: string[] } => x.ours !== undefined);
    expect(typed.length).toBeGreaterThan(1000);
    const theirs = bashWords(typed.map((x) => x.c));
    const wrong = typed.filter((x, k) => JSON.stringify(x.ours) !== JSON.stringify(theirs[k])).map((x) => ({ command: x.c, ours: x.ours, bash: theirs[typed.indexOf(x)] }));
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
