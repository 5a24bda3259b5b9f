/**
 * The context guard and the sandbox's own defences. A kubeconfig with two contexts on one sandbox: the runner
 * shows the context and server before anything runs, and refuses a context that the front matter's
 * `contexts:` or `--require-context` do not allow, leaving the cluster untouched. The sandbox answers only its
 * own token (checked with the real kubectl) and listens on 127.0.0.1 only (checked in /proc).
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { ensureBuilt } from '../commands/run-cli.js';
import { tempDir } from '../runner/fixtures.js';
import { kubectlNames, runSignalled, startExternalSandbox, type ExternalSandbox } from './harness.js';

const dir = tempDir('runbook-context-guard-');
let sandbox: ExternalSandbox;
/** Contexts `runbook-sandbox` and `prod-east`, both on the sandbox; current: `prod-east`. */
let twoContexts: string;

beforeAll(async () => {
  ensureBuilt();
  sandbox = await startExternalSandbox(dir);
  const config = parse(readFileSync(sandbox.kubeconfig, 'utf8')) as { contexts: { name: string; context: unknown }[]; 'current-context': string };
  config.contexts.push({ name: 'prod-east', context: config.contexts[0]!.context });
  config['current-context'] = 'prod-east';
  twoContexts = path.join(dir, 'two-contexts');
  writeFileSync(twoContexts, stringify(config));
  writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: guarded\n  namespace: default\ndata: {a: b}\n');
});
afterAll(() => sandbox?.stop());

/** A runbook that creates a ConfigMap, with `frontMatter` on top. */
function runbook(name: string, frontMatter = ''): string {
  const file = path.join(dir, name);
  const head = frontMatter ? `---\n${frontMatter}\n---\n\n` : '';
  writeFileSync(file, `${head}\`\`\`sh\n$ kubectl apply -f cm.yaml\n\`\`\`\n\n\`\`\`output\nconfigmap/guarded created\n\`\`\`\n\n\`\`\`sh\n$ kubectl delete -f cm.yaml\n\`\`\`\n\n\`\`\`output\nconfigmap "guarded" deleted\n\`\`\`\n`);
  return file;
}

const configMaps = () => kubectlNames(sandbox.kubeconfig, path.join(dir, 'cache'), 'configmaps', 'default');

describe('the context guard', () => {
  needs('kubectl').it('refuses a context the front matter does not allow, names it and its server, and touches nothing', async () => {
    const run = await runSignalled(['run', runbook('prod.md', 'contexts: ["runbook-*", "kind-*"]'), '--kubeconfig', twoContexts, '--reporter', 'plain']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`context "prod-east" (${sandbox.api}) does not match the runbook's contexts: runbook-*, kind-*; nothing was run`);
    expect(run.stdout).not.toMatch(/▶/);
    expect(configMaps()).not.toContain('configmap/guarded');
  }, 30_000);

  needs('kubectl').it('gives shell steps the context chosen with --context, not the current one of the kubeconfig', async () => {
    const file = path.join(dir, 'shell-context.md');
    writeFileSync(file, '```sh\n$ kubectl config current-context\n```\n\n```output\nrunbook-sandbox\n```\n');
    const run = await runSignalled(['run', file, '--kubeconfig', twoContexts, '--context', 'runbook-sandbox', '--reporter', 'plain']);
    expect(run.code, run.stdout).toBe(0);
    // The user's kubeconfig is not touched: its current context is still prod-east.
    expect(readFileSync(twoContexts, 'utf8')).toContain('current-context: prod-east');
  }, 30_000);

  needs('kubectl').it('guards a runbook whose only cluster steps are shell commands', async () => {
    const file = path.join(dir, 'shell-only.md');
    writeFileSync(file, '---\ncontexts: ["runbook-*"]\n---\n\n```sh\n$ kubectl create configmap shell-only -n default\n```\n\n```output\nconfigmap/shell-only created\n```\n');
    const run = await runSignalled(['run', file, '--kubeconfig', twoContexts, '--reporter', 'plain'], { env: { KUBECACHEDIR: path.join(dir, 'cache-shell') } });
    expect(run.code, run.stdout).toBe(1);
    expect(run.stdout).toContain('context "prod-east"');
    expect(configMaps()).not.toContain('configmap/shell-only');
  }, 30_000);

  it('runs in an allowed context chosen with --context, after showing it and its server', async () => {
    const run = await runSignalled(['run', runbook('ok.md', 'contexts: ["runbook-*"]'), '--kubeconfig', twoContexts, '--context', 'runbook-sandbox', '--reporter', 'plain']);
    expect(run.code, run.stdout).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toContain(`against context runbook-sandbox at ${sandbox.api}`);
    expect(lines.findIndex((l) => l.startsWith('▶'))).toBeGreaterThan(0);
  }, 30_000);

  needs('kubectl').it('--require-context refuses any other context, and accepts its own', async () => {
    const file = runbook('plain.md');
    const refused = await runSignalled(['run', file, '--kubeconfig', twoContexts, '--require-context', 'runbook-sandbox', '--reporter', 'plain']);
    // A flag that does not fit the cluster is a usage error (exit 2), said before anything runs.
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`runbook: --require-context runbook-sandbox: the context is "prod-east" (${sandbox.api}); nothing was run\n`);
    expect(refused.stdout).toBe('');
    expect(configMaps()).not.toContain('configmap/guarded');
    const accepted = await runSignalled(['run', file, '--kubeconfig', twoContexts, '--context', 'runbook-sandbox', '--require-context', 'runbook-sandbox', '--reporter', 'plain']);
    expect(accepted.code, accepted.stdout).toBe(0);
  }, 30_000);
});

describe('the sandbox API', () => {
  const kubectl = (kubeconfig: string) =>
    new Promise<{ code: number; stderr: string }>((resolve) => {
      const args = ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, `cache-${path.basename(kubeconfig)}`), 'get', 'namespaces', '-o', 'name'];
      const child = execFile('kubectl', args, (error, _out, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr }));
      child.stdin?.end();
    });

  needs('kubectl').it('accepts only its own token', async () => {
    const config = readFileSync(sandbox.kubeconfig, 'utf8');
    const wrong = path.join(dir, 'wrong-token');
    writeFileSync(wrong, config.replace(/token: \S+/, 'token: not-the-sandbox-token'));
    expect((await kubectl(sandbox.kubeconfig)).code).toBe(0);
    const result = await kubectl(wrong);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('You must be logged in to the server');
    // Without any token (kubectl would prompt for a user name, so over HTTPS directly).
    const status = await new Promise<number>((resolve, reject) =>
      https.get(`${sandbox.api}/api/v1/namespaces`, { rejectUnauthorized: false }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject),
    );
    expect(status).toBe(401);
  }, 30_000);

  it('listens on 127.0.0.1 only', () => {
    const pid = sandbox.process.pid!;
    // The socket inodes the sandbox process holds, and the listening TCP sockets they are.
    const inodes = new Set(
      readdirSync(`/proc/${pid}/fd`)
        .map((fd) => {
          try {
            return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
          } catch {
            return undefined;
          }
        })
        .filter(Boolean),
    );
    const listening: string[] = [];
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      for (const row of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
        const cols = row.trim().split(/\s+/);
        if (cols[3] === '0A' && inodes.has(cols[9])) listening.push(cols[1]!);
      }
    }
    // The API, the ingress, seldon-mesh, the scheduler and Kafka as printed (the scheduler's gRPC server behind its
    // front port is one more socket, on 127.0.0.1 like every other).
    const printed = [new URL(sandbox.api).port, ...[...sandbox.output().matchAll(/-> 127\.0\.0\.1:(\d+)/g)].map((m) => m[1]!)].map(Number);
    expect(printed).toHaveLength(5);
    const ports = listening.map((a) => parseInt(a.split(':')[1]!, 16));
    for (const port of printed) expect(ports).toContain(port);
    // 0100007F is 127.0.0.1 in /proc's little-endian hex.
    for (const address of listening) expect(address.split(':')[0]).toBe('0100007F');
  });
});
