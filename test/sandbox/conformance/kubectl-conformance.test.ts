/**
 * The kubectl conformance table (conformance-table.ts) against one sandbox with the real kubectl 1.32: every
 * entry runs in beforeAll (read-only ones first, on the seeded cluster alone, then the rest concurrently, each in
 * its own namespace, then the ones that may break the cluster), and each gets a test that compares its output.
 * Entries marked `pending` are expected to fail until their fix lands (`it.fails`): when one starts passing, the
 * suite fails and the mark must go.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { needs } from '../../tools.js';
import type { TestSandbox } from '../helpers.js';
import { request, startTestSandbox } from '../helpers.js';
import { CONFORMANCE_TABLE } from './conformance-table.js';
import type { Entry } from './entry.js';
import { matchesExpected } from './expected-text.js';
import type { Outcome, RunContext } from './run-entry.js';
import { fill, namespaceOf, pool, runEntry } from './run-entry.js';

const CONCURRENCY = 6;
const outcomes = new Map<string, Outcome>();
const passed = new Set<string>();

function usesNamespace(entry: Entry): boolean {
  return JSON.stringify(entry).includes('{ns}');
}

needs('kubectl 1.32').describe(`kubectl conformance: ${CONFORMANCE_TABLE.length} invocations`, () => {
  let sb: TestSandbox;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'runbook-conformance-'));
    sb = await startTestSandbox();
    const ctx: RunContext = { sandbox: sb, base: ['--kubeconfig', sb.kubeconfigPath, '--cache-dir', join(root, 'kube-cache')], root };
    // Namespaces straight through the API: one request each instead of a kubectl start.
    await Promise.all(
      CONFORMANCE_TABLE.filter(usesNamespace).map((e) => request(sb, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespaceOf(e) } } })),
    );
    const run = async (entries: readonly Entry[]) => {
      const results = await pool(
        CONCURRENCY,
        entries.map((e) => async () => {
          const start = Date.now();
          const outcome = await runEntry(ctx, e);
          if (process.env.CONFORMANCE_TIMES) console.log(`${e.name}: ${Date.now() - start} ms`);
          return outcome;
        }),
      );
      entries.forEach((e, i) => outcomes.set(e.name, results[i]!));
    };
    // One call first fills kubectl's discovery cache, so the concurrent ones do not all fetch it.
    await runEntry(ctx, { name: 'warm-up', args: ['api-resources', '-o', 'name'], code: 0, rule: '' });
    await run(CONFORMANCE_TABLE.filter((e) => e.phase === 'read-only'));
    await run(CONFORMANCE_TABLE.filter((e) => e.phase === undefined));
    await run(CONFORMANCE_TABLE.filter((e) => e.phase === 'last'));
    // Generous: about 40 CPU-seconds of kubectl starts on a shared 2-core machine; each call is bounded anyway.
  }, 150_000);

  afterAll(async () => {
    const pending = CONFORMANCE_TABLE.filter((e) => e.pending);
    console.log(
      `kubectl conformance: ${passed.size}/${CONFORMANCE_TABLE.length} invocations passed` +
        (pending.length > 0 ? `; ${pending.length} pending a fix: ${pending.map((e) => `${e.name} (${e.pending})`).join('; ')}` : ''),
    );
    await sb?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  for (const entry of CONFORMANCE_TABLE) {
    const title = `${entry.name}: kubectl ${entry.args.join(' ')}`;
    const check = () => {
      const outcome = outcomes.get(entry.name);
      expect(outcome, 'the entry did not run').toBeDefined();
      const { code, stdout, stderr, setupError } = outcome!;
      expect(setupError).toBeUndefined();
      const dir = join(root, entry.name);
      const ns = namespaceOf(entry);
      const expected = { code: entry.code, stdout: fill(entry.stdout ?? '', ns, dir), stderr: fill(entry.stderr ?? '', ns, dir) };
      // On a mismatch, compare as text so that the report shows a diff against the pattern.
      const actual = {
        code,
        stdout: matchesExpected(expected.stdout, stdout) ? expected.stdout : stdout,
        stderr: matchesExpected(expected.stderr, stderr) ? expected.stderr : stderr,
      };
      expect(actual, entry.rule).toEqual(expected);
      passed.add(entry.name);
    };
    if (entry.pending) it.fails(`${title} [pending: ${entry.pending}]`, check);
    else it(title, check);
  }
});
