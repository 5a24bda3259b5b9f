import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './run-cli.js';

const ISTIO_KINDS = ['capture', 'build', 'apply', 'wait', 'curl', 'grpcurl', 'delete', 'build', 'apply', 'wait', 'curl', 'grpcurl', 'delete'];
const dir = mkdtempSync(join(tmpdir(), 'runbook-list-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runbook list --json', () => {
  it('prints the plan of the seed document', async () => {
    const r = await runCli(['list', 'test/fixtures/seed-istio.md', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const plan = JSON.parse(r.stdout);
    expect(plan.file).toBe('test/fixtures/seed-istio.md');
    expect(plan.steps.map((s: { kind: string }) => s.kind)).toEqual(ISTIO_KINDS);
    expect(Object.keys(plan.steps[0]).slice(0, 5)).toEqual(['index', 'kind', 'line', 'command', 'expected']);
    expect(plan.steps[3]).toMatchObject({
      index: 3,
      line: 125,
      command: 'kubectl wait --for condition=ready --timeout=300s model --all -n seldon-mesh',
      expected: { text: 'model.mlops.seldon.io/iris condition met', location: { format: 'markdown', startLine: 128, endLine: 128, style: 'indented', indent: '    ' } },
      args: { timeoutMs: 300_000, all: true, namespace: 'seldon-mesh' },
    });
  });

  it('gives the issue\'s step kinds for runbooks/istio.md', async () => {
    const r = await runCli(['list', 'runbooks/istio.md', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).steps.map((s: { kind: string }) => s.kind)).toEqual(ISTIO_KINDS);
  });

  it('reads notebooks', async () => {
    const r = await runCli(['list', 'test/fixtures/seed-istio.ipynb', '--json']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.format).toBe('ipynb');
    expect(plan.steps.map((s: { kind: string }) => s.kind)).toEqual(ISTIO_KINDS);
    expect(plan.steps[0].expected.location).toEqual({ format: 'ipynb', cell: 1 });
  });
});

describe('runbook list', () => {
  it('prints an aligned table without colour when not on a terminal', async () => {
    const r = await runCli(['list', 'test/fixtures/seed-istio.md']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(14);
    expect(lines[0]).toMatch(/^ # {2}CELL {2}KIND +LOCATION +COMMAND$/);
    expect(lines[1]).toMatch(/^ 0 {5}0 {2}capture {2}test\/fixtures\/seed-istio\.md:20 +INGRESS_IP=!kubectl get svc/);
    expect(lines[13]).toMatch(/^12 {4}12 {2}delete {3}test\/fixtures\/seed-istio\.md:370 {2}kustomize build config\/traffic-split \| kubectl/);
    // Columns line up: every command starts where the header's COMMAND does.
    const at = lines[0]!.indexOf('COMMAND');
    for (const line of lines.slice(1)) expect(line[at - 1]).toBe(' ');
    for (const line of lines.slice(1)) expect(line[at]).not.toBe(' ');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(lines[5]).toMatch(/…$/);
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('colours only when asked: FORCE_COLOR wins, NO_COLOR is honoured', async () => {
    expect((await runCli(['list', 'test/fixtures/seed-istio.md'], { env: { FORCE_COLOR: '1' } })).stdout).toContain('\x1b[36mcapture');
    expect((await runCli(['list', 'test/fixtures/seed-istio.md'], { env: { FORCE_COLOR: '0' } })).stdout).not.toContain('\x1b[');
    expect((await runCli(['list', 'test/fixtures/seed-istio.md'], { env: { NO_COLOR: '1' } })).stdout).not.toContain('\x1b[');
  });

  it('shows step options', async () => {
    const file = join(dir, 'options.md');
    writeFileSync(file, '<!-- runbook: skip timeout=60s -->\n```sh\nkubectl get pods \\\n  -A\n```\n');
    const r = await runCli(['list', file]);
    expect(r.stdout.split('\n')[1]).toMatch(/^0 {5}0 {2}shell +.*options\.md:3 +\[skip timeout=1m\] kubectl get pods …$/);
  });

  it('fails with the position and exit code 2 on bad input, without a stack trace', async () => {
    const missing = await runCli(['list', 'nope.md']);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'runbook: nope.md:1:1: no such file\n' });
    const file = join(dir, 'unclosed.md');
    writeFileSync(file, '# T\n\n```python\n!echo\n');
    const unclosed = await runCli(['list', file]);
    expect(unclosed.code).toBe(2);
    expect(unclosed.stderr).toBe(`runbook: ${file}:3:1: unclosed \`\`\` fence (python); expected a closing \`\`\` line\n`);
    const usage = await runCli(['list']);
    expect(usage.code).toBe(2);
  });
});

describe('a folder of docs', () => {
  // A README with an `npm ci` fence, a tutorial with a `touch` fence, a transcript page that opts out, a runbook
  // with a `$ ` prompt and a notebook.
  const docs = 'test/fixtures/docs-folder';
  const ignored = [
    [`${docs}/docs/transcript.md`, 'front matter says runbook: false'],
    [`${docs}/docs/tutorial.md`, 'no steps: no `$ ` prompt, recorded output or `!` cell (front matter `runbook: true` opts in)'],
    [`${docs}/README.md`, 'no steps: no `$ ` prompt, recorded output or `!` cell (front matter `runbook: true` opts in)'],
  ];

  it('plans only the runbooks and lists the other files as ignored, with the reason', async () => {
    const r = await runCli(['list', docs]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => /^\d/.test(l))).toEqual([
      expect.stringMatching(/^0 {5}0 {2}shell {2}test\/fixtures\/docs-folder\/notebooks\/greeting\.ipynb:\d+ +echo hi$/),
      expect.stringMatching(/^0 {5}0 {2}shell {2}test\/fixtures\/docs-folder\/runbooks\/hello\.md:4 +echo hello$/),
    ]);
    const w = Math.max(...ignored.map(([file]) => file!.length));
    // Cut to the 100 columns of a pipe.
    expect(lines.filter((l) => l.startsWith('ignored'))).toEqual(ignored.map(([file, reason]) => expect.stringMatching(`^ignored  ${file!.padEnd(w)}  ${reason!.slice(0, 20).replace(/[$`()]/g, '\\$&')}`)));
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('gives every plan and the ignored files as JSON', async () => {
    const r = await runCli(['list', docs, 'runbooks/istio.md', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.runbooks.map((p: { file: string; steps: unknown[] }) => [p.file, p.steps.length])).toEqual([
      [`${docs}/notebooks/greeting.ipynb`, 1],
      [`${docs}/runbooks/hello.md`, 1],
      ['runbooks/istio.md', 13],
    ]);
    expect(json.ignored).toEqual(ignored.map(([file, reason]) => ({ file, reason })));
  });

  it('takes a file named on the command line even without steps', async () => {
    const r = await runCli(['list', `${docs}/README.md`, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: `${docs}/README.md`, steps: [] });
  });

  it('runs only the runbooks: the tutorial\'s touch never runs', async () => {
    const copy = join(dir, 'docs-folder');
    cpSync(docs, copy, { recursive: true });
    const r = await runCli(['run', copy, '--sandbox', '--reporter', 'plain']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(existsSync(join(copy, 'docs', 'touched-by-runbook'))).toBe(false);
    expect(r.stdout).toMatch(/total: 2 passed, 0 failed/);
    for (const file of ['docs/transcript.md', 'docs/tutorial.md', 'README.md']) expect(r.stderr).toContain(join(copy, file));
  });
});
