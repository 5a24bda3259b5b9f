/**
 * `runbook check` warns about every path a step reads that leaves the runbook's folder, through `..` or as an
 * absolute path: -f, -k, kustomize build, grpcurl -import-path and -proto, curl -d @file. Paths inside the
 * folder (even written with a `..` that stays inside) are not warned about.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt } from '../commands/run-cli.js';
import { tempDir } from '../runner/fixtures.js';
import { runSignalled } from './harness.js';

describe('runbook check and paths outside the runbook folder', () => {
  it('warns for each one, with its line, and for none inside', async () => {
    ensureBuilt();
    const root = tempDir('runbook-check-paths-');
    const outside = path.join(root, 'outside');
    const book = path.join(root, 'book');
    for (const d of [outside, path.join(book, 'local')]) mkdirSync(d, { recursive: true });
    for (const d of [outside, path.join(book, 'local')]) {
      writeFileSync(path.join(d, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
      writeFileSync(path.join(d, 'kustomization.yaml'), 'resources: [cm.yaml]\n');
      writeFileSync(path.join(d, 'x.proto'), 'syntax = "proto3";\n');
      writeFileSync(path.join(d, 'data.txt'), 'payload\n');
    }
    const steps = [
      'kubectl apply -f ../outside/cm.yaml',
      `kubectl apply -k ${outside}`,
      'kustomize build ../outside',
      'grpcurl -plaintext -import-path ../outside -proto x.proto 127.0.0.1:1 a.B/C',
      'grpcurl -plaintext -proto ../outside/x.proto 127.0.0.1:1 a.B/C',
      'curl -d @../outside/data.txt http://127.0.0.1:1/',
      `curl --data-binary @${path.join(outside, 'data.txt')} http://127.0.0.1:1/`,
      `kubectl delete -f ${path.join(outside, 'cm.yaml')}`,
      // Inside the folder: no warning.
      'kubectl apply -f local/../local/cm.yaml',
      'kubectl apply -k local',
      'grpcurl -plaintext -import-path local -proto x.proto 127.0.0.1:1 a.B/C',
      'curl -d @local/data.txt http://127.0.0.1:1/',
    ];
    const text = steps.map((s) => `<!-- runbook: expect=ignore -->\n\`\`\`sh\n$ ${s}\n\`\`\`\n`).join('\n');
    writeFileSync(path.join(book, 'paths.md'), text);
    const run = await runSignalled(['check', 'book/paths.md'], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
    const warned = [...`${run.stdout}${run.stderr}`.matchAll(/^book\/paths\.md:(\d+):\d+: warning: (.*) is outside the runbook's folder/gm)];
    const lineOf = (i: number) => 3 + i * 5;
    expect(warned.map((m) => Number(m[1]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map(lineOf));
    expect(warned.map((m) => m[2])).toEqual([
      'manifest ../outside/cm.yaml',
      `kustomize folder ${outside}`,
      'kustomize folder ../outside',
      'grpcurl -import-path ../outside',
      'grpcurl -proto file ../outside/x.proto',
      'curl --data @file ../outside/data.txt',
      `curl --data-binary @file ${path.join(outside, 'data.txt')}`,
      `manifest ${path.join(outside, 'cm.yaml')}`,
    ]);
  }, 30_000);
});
