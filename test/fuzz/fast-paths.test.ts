/**
 * The parser's shortcuts for hostile input must not change any plan: plain commands are split without
 * shell-quote, and must come out exactly as the full path (shell-quote, brace and tilde expansion) splits them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fallback, splitPipeline } from '../../src/parse/command-words.js';
import { classifyCommand } from '../../src/parse/command.js';
import { findFences } from '../../src/parse/fences.js';
import { atxHeading } from '../../src/parse/prose.js';
import { InputError } from '../../src/core/errors.js';
import { budget } from './budget.js';

function bySplitPipeline(command: string): string[][] | string {
  try {
    return splitPipeline(command);
  } catch (error) {
    if (error instanceof Fallback) return error.message;
    throw error;
  }
}

/** The full path: a trailing comment is not plain, so the command goes through shell-quote and expansion. */
const byFullPath = (command: string) => bySplitPipeline(`${command} #`);

describe('plain commands split without shell-quote', () => {
  it('give the words the full path gives (braces and tildes included, which make a command not plain)', () => {
    const word = fc.oneof(
      fc.constantFrom('kubectl', 'apply', '-f', '-', '--for', 'condition=ready', '--timeout=300s', 'model', '--all', '-n', 'seldon-mesh', 'config/a', 'http://h:80/v2', '{}', '~', '%', '^', '+', ',', '@a.json', '|', '||', '|', ''),
      fc.stringMatching(/^[\w\-.,:/=@%+^~{}|]{1,6}$/),
    );
    const space = fc.constantFrom(' ', '  ', '\t', ' \t ', '');
    fc.assert(
      fc.property(fc.array(fc.tuple(word, space), { maxLength: 12 }), fc.constantFrom('', ' ', '\t'), (parts, lead) => {
        const command = lead + parts.map(([w, s]) => w + s).join(' ');
        expect(bySplitPipeline(command)).toEqual(byFullPath(command));
      }),
      { numRuns: Math.max(300, Math.round(budget.inProcess / 10)), seed: budget.seed },
    );
  });
});

describe('commands that obviously run no typed tool skip the splitter', () => {
  it('and are classified as the splitter would', () => {
    // A trailing comment naming a tool changes nothing the command does, but sends it through the splitter.
    const glued = fc
      .tuple(fc.constantFrom('kubectl apply -f x', 'kustomize build d', 'curl http://h', 'grpcurl -plaintext h m', 'kubectl wait --for=delete pod/x'), fc.nat(), fc.constantFrom('"', "'", '\\\n', '\\', '""', "''", '\\\r\n', ''))
      .map(([command, at, glue]) => {
        const cut = 1 + (at % (command.indexOf(' ') - 1));
        return command.slice(0, cut) + glue + command.slice(cut);
      });
    const piece = fc.oneof(glued, fc.constantFrom('ku', 'bectl', 'cu', 'rl', ' ', '"', "'", '\\\n', '\\', ' | ', '$A', '${B}', "$'\\x6b'", 'A=1 ', 'seldon', '!', '#'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 4 }), (pieces) => {
        const command = pieces.join('');
        const quick = classifyCommand(command);
        if (quick.kind !== 'shell' || quick.note !== undefined) return;
        const split = classifyCommand(`${command} #curl`);
        expect({ kind: split.kind, note: split.note }, JSON.stringify(command)).toEqual({ kind: 'shell', note: undefined });
      }),
      { numRuns: Math.max(500, Math.round(budget.inProcess / 5)), seed: budget.seed },
    );
  });
});

describe('headings and fences are read without backtracking', () => {
  // The regular expressions they replace, which took a second for a 30,000-character line.
  const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
  const OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
  const line = fc.array(fc.constantFrom(' ', ' ', '\t', '#', '#', 'a', '`', '~', '\u2028', '\r', '\u00a0', 'é'), { maxLength: 14 }).map((c) => c.join(''));

  it('give the answers of the old expressions', () => {
    fc.assert(
      fc.property(line, (text) => {
        const m = ATX.exec(text);
        expect(atxHeading(text)).toBe(m ? (m[2] ?? '').trim() : undefined);
        const f = OPEN.exec(text);
        const opens = f !== null && !(f[2]![0] === '`' && f[3]!.includes('`'));
        // A line that opens no fence leaves the backtick line open (an error at line 2).
        let found = true;
        try {
          findFences('x.md', [text, '`'.repeat(20), '~'.repeat(20)]);
        } catch (error) {
          found = !(error instanceof InputError && error.position?.line === 2);
        }
        expect(found, JSON.stringify(text)).toBe(opens);
      }),
      { numRuns: Math.max(2000, Math.round(budget.inProcess / 2)), seed: budget.seed },
    );
  });

  it('in linear time', () => {
    const start = performance.now();
    expect(atxHeading('## a' + ' '.repeat(200_000) + 'b')).toBe('a' + ' '.repeat(200_000) + 'b');
    expect(atxHeading('## a' + '\t'.repeat(200_000) + '#')).toBe('a');
    expect(findFences('x.md', ['`'.repeat(200_000) + '\u2028'])).toEqual([]);
    expect(performance.now() - start).toBeLessThan(200);
  });
});
