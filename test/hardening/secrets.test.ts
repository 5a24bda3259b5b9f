/**
 * Credentials never reach a report, the terminal or a rewritten runbook. One runbook carries a secret down every
 * path (curl headers and -u in the command, the -v transcript and the echoed body; grpcurl metadata; variables
 * from the environment, --set, front matter and a capture; a kubeconfig printed by a shell step), its recorded
 * outputs all drifted so diffs show the actual side; it runs through every reporter and through --update.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs } from '../tools.js';
import { ensureBuilt, repo } from '../commands/run-cli.js';
import { readReport, tempDir } from '../runner/fixtures.js';
import { cli, runSignalled, startEchoServer, type EchoServer } from './harness.js';

const secret = {
  bearer: 'authTOKENvalue1',
  cookie: 'cookieVALUE2',
  proxy: 'proxyVALUE3',
  apiKey: 'apiKEYvalue4',
  password: 'userPASSWORD5',
  grpc: 'grpcTOKEN6',
  env: 'envTOKEN7',
  set: 'setPASSWORD8',
  frontMatter: 'fmSECRET9',
  capture: 'capKEY10',
  kubeToken: 'kcTOKEN11',
  // kubectl decodes client-key-data, so it must be base64.
  kubeKey: Buffer.from('kcKEYDATA12').toString('base64'),
};
/** What -u bob:PASSWORD sends, which curl -v prints and an echoing server returns. */
const basic = Buffer.from(`bob:${secret.password}`).toString('base64');
const all = [...Object.values(secret), basic];

/** Every secret found in `text`, to name them in a failure. */
const leaked = (text: string) => all.filter((s) => text.includes(s));

const dir = tempDir('runbook-secrets-');
let echo: EchoServer;
let runbook: string;
let kubeconfig: string;

function kubeconfigText(extra = ''): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: c',
    '  cluster: {server: "https://127.0.0.1:1"}',
    'users:',
    '- name: u',
    '  user:',
    `    token: ${secret.kubeToken}`,
    `    client-key-data: ${secret.kubeKey}`,
    extra,
    'contexts:',
    '- name: ctx',
    '  context: {cluster: c, user: u}',
    'current-context: ctx',
    '',
  ].join('\n');
}

beforeAll(async () => {
  ensureBuilt();
  echo = await startEchoServer();
  const url = `http://127.0.0.1:${echo.port}`;
  runbook = path.join(dir, 'secrets.md');
  writeFileSync(
    runbook,
    [
      '---',
      'env:',
      `  FM_SECRET: ${secret.frontMatter}`,
      '---',
      '',
      '```python',
      // Printed in two halves: the command text itself must not hold the value (the runner learns it is a
      // secret only once it is captured).
      `CAP_KEY=!printf '%s%s' ${secret.capture.slice(0, 4)} ${secret.capture.slice(4)}`,
      'CAP_KEY=CAP_KEY[0]',
      'import os',
      "os.environ['CAP_KEY'] = CAP_KEY",
      'CAP_KEY',
      '```',
      '',
      "    'recorded'",
      '',
      '```sh',
      `$ curl -v -s ${url}/infer -H "Authorization: Bearer ${secret.bearer}" -H "Cookie: sid=${secret.cookie}" -H "Proxy-Authorization: Basic ${secret.proxy}" -H "x-api-key: ${secret.apiKey}" -u bob:${secret.password}`,
      '```',
      '',
      '```output',
      'drifted',
      '```',
      '',
      '```sh',
      `$ curl -s ${url}/json -H "Authorization: Bearer ${secret.bearer}" -H "x-api-key: ${secret.apiKey}"`,
      '```',
      '',
      '```output',
      `{"method":"GET","url":"/json","headers":{"host":"127.0.0.1:${echo.port}","connection":"keep-alive","user-agent":"curl/7.88.1","accept":"*/*","authorization":"Bearer old","x-api-key":"old1"},"body":""}`,
      '```',
      '',
      '```sh',
      `$ grpcurl -plaintext -H 'x-auth-token: ${secret.grpc}' -d '{}' 127.0.0.1:${echo.port} inference.GRPCInferenceService/ModelInfer`,
      '```',
      '',
      '```output',
      'drifted',
      '```',
      '',
      '```sh',
      '$ echo "env=$ENV_TOKEN set=$SET_PASSWORD fm=$FM_SECRET cap=$CAP_KEY"',
      '```',
      '',
      '```output',
      'drifted',
      '```',
      '',
      '```sh',
      '$ kubectl config view --raw',
      '```',
      '',
      '```output',
      'drifted',
      '```',
      '',
    ].join('\n'),
  );
  kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigText());
});
afterAll(() => echo?.close());

const args = (file: string) => ['run', file, '--kubeconfig', kubeconfig, '--set', `SET_PASSWORD=${secret.set}`, '--retry-budget', '0s'];
const env = { ENV_TOKEN: secret.env, KUBECACHEDIR: path.join(dir, 'cache') };

describe('secrets in every reporter', () => {
  needs('kubectl').it('plain, json, junit and github show [REDACTED], never a credential', async () => {
    const files = { json: path.join(dir, 'r.json'), junit: path.join(dir, 'r.xml'), summary: path.join(dir, 'summary.md') };
    const run = await runSignalled(
      [...args(runbook), '--reporter', 'plain', '--reporter', 'github', '--reporter', `json=${files.json}`, '--reporter', `junit=${files.junit}`],
      { env: { ...env, GITHUB_STEP_SUMMARY: files.summary } },
    );
    expect(run.code, run.stdout + run.stderr).toBe(1);
    // The run really carried the secrets: the server received them, and the steps printed them (redacted).
    const seen = echo.requests.findLast((r) => r.url === '/infer')!.headers;
    expect([seen.authorization, seen.cookie, seen['proxy-authorization'], seen['x-api-key']]).toEqual([
      `Bearer ${secret.bearer}`,
      `sid=${secret.cookie}`,
      `Basic ${secret.proxy}`,
      secret.apiKey,
    ]);
    const report = readReport(files.json);
    const actual = (i: number) => (report.runbooks[0]!.steps[i] as unknown as { actual: string }).actual;
    expect(actual(1)).toContain('> Authorization: Bearer [REDACTED]');
    expect(report.runbooks[0]!.steps[2]!.diff).toContain('body.headers.authorization: expected "Bearer [REDACTED]", got "Bearer [REDACTED]"');
    expect(actual(4)).toBe('env=[REDACTED] set=[REDACTED] fm=[REDACTED] cap=[REDACTED]');
    expect(actual(5)).toMatch(/token: \[REDACTED\]/);
    expect(actual(5)).toMatch(/client-key-data: \[REDACTED\]/);

    for (const [name, text] of [
      ['terminal', run.stdout + run.stderr],
      ['json', readFileSync(files.json, 'utf8')],
      ['junit', readFileSync(files.junit, 'utf8')],
      ['github summary', readFileSync(files.summary, 'utf8')],
    ] as const) {
      expect(leaked(text), name).toEqual([]);
      expect(text, name).toContain('[REDACTED]');
    }
  }, 60_000);

  needs('kubectl', 'script').it('ink, on a real terminal, shows [REDACTED], never a credential', async () => {
    const term: Record<string, string> = { ...(process.env as Record<string, string>), ...env, TERM: 'xterm-256color' };
    for (const key of ['CI', 'GITHUB_ACTIONS', 'NO_COLOR', 'FORCE_COLOR', 'BUILD_NUMBER']) delete term[key];
    const command = ['stty cols 200 rows 50;', 'node', cli, ...args(runbook)].map((a, i) => (i === 0 ? a : `'${a}'`)).join(' ');
    const output = await new Promise<string>((resolve, reject) =>
      execFile('script', ['-qec', `${command}; echo "exit=$?"`, '/dev/null'], { cwd: repo, env: term, encoding: 'utf8', timeout: 60_000 }, (error, stdout) =>
        error && !stdout ? reject(error) : resolve(stdout),
      ),
    );
    expect(output).toContain('\u001b['); // the interactive reporter drew it
    expect(output).toContain('exit=1');
    expect(output).toContain('[REDACTED]');
    expect(leaked(output)).toEqual([]);
  }, 60_000);
});

describe('secrets and --update', () => {
  it('the rewritten runbook gains no secret, and still matches on the next run', async () => {
    const copy = path.join(dir, 'update.md');
    copyFileSync(runbook, copy);
    const before = readFileSync(copy, 'utf8');
    const run = await runSignalled([...args(copy), '--update', '--reporter', 'plain'], { env });
    expect(run.stdout).toMatch(/updated \d+ recorded outputs/);
    const after = readFileSync(copy, 'utf8');
    expect(after).not.toBe(before);
    for (const s of all) expect(after.split(s).length, `${s} was added to the runbook`).toBeLessThanOrEqual(before.split(s).length);
    expect(after).toContain('env=[REDACTED] set=[REDACTED] fm=[REDACTED] cap=[REDACTED]');
    expect(leaked(run.stdout + run.stderr)).toEqual([]);
    // [REDACTED] in a recording stands for the value that was hidden: the updated steps now pass.
    const json = path.join(dir, 'again.json');
    const again = await runSignalled([...args(copy), '--reporter', 'plain', '--reporter', `json=${json}`], { env });
    const status = readReport(json).runbooks[0]!.steps.map((s) => s.status);
    expect(status, again.stdout).toEqual(['passed', 'passed', 'passed', 'passed', 'passed', 'passed']);
  }, 60_000);
});

describe('kubeconfig credentials in errors', () => {
  it('a kubeconfig that fails to parse is not echoed with its token', async () => {
    const broken = path.join(dir, 'broken-kubeconfig');
    // The parse error points right below the credentials, so an excerpt of the file would show them.
    writeFileSync(broken, kubeconfigText('   bad: [indent'));
    const book = path.join(dir, 'apply.md');
    writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: default}\n');
    writeFileSync(book, '```sh\n$ kubectl apply -f cm.yaml\n```\n\n```output\nconfigmap/x created\n```\n');
    const json = path.join(dir, 'broken.json');
    const run = await runSignalled(['run', book, '--kubeconfig', broken, '--reporter', 'plain', '--reporter', `json=${json}`]);
    // A kubeconfig that cannot load is a usage error, found before anything runs (so no report either).
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cannot load kubeconfig ${broken}`);
    expect(leaked(run.stdout + run.stderr)).toEqual([]);
    expect(existsSync(json)).toBe(false);
  }, 30_000);
});
