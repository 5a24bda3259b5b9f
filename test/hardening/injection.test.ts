/**
 * Values are data. Hostile values (command substitution, backticks, `; rm -rf x`, quotes, newlines) come from
 * each source a runbook has (a capture, --set, front matter env, the environment) and flow into curl URLs,
 * headers and data, grpcurl -d, kubectl -n and shell steps. Nothing runs (no PWNED file appears anywhere, the
 * sentinel folder `x` survives) and every value arrives verbatim: at a local HTTP server, at a local gRPC
 * server, in the API server's error, and in what the shell steps print.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repo } from '../commands/run-cli.js';
import { readReport, tempDir } from '../runner/fixtures.js';
import { runSignalled, startEchoServer, type EchoServer } from './harness.js';

/** A value that would create PWNED files and delete `x` if any shell ever evaluated it. */
const hostile = (tag: string) => `$(touch PWNED_${tag}) \`touch PWNED_${tag}_tick\`; rm -rf x; "dq" 'sq' \\ \${HOME}`;
const values = {
  CAP_V: hostile('cap'),
  SET_V: hostile('set'),
  FM_V: hostile('fm'),
  ENV_V: `${hostile('env')}\nsecond line $(touch PWNED_env_line2)`,
  // curl refuses spaces in a URL, as curl does; this one has none.
  SET_URL: '$(touch${IFS}PWNED_url)`touch${IFS}PWNED_url_tick`;rm${IFS}-rf${IFS}x',
  // Spliced into a JSON string by the runbook's own quoting, as a shell would: no `"` or `\` to break the JSON.
  FM_G: "$(touch PWNED_fmg) `touch PWNED_fmg_tick`; rm -rf x; 'sq' ${HOME}",
  SET_G: "$(touch PWNED_setg) `touch PWNED_setg_tick`; rm -rf x; 'sq'",
};

const dir = tempDir('runbook-injection-');
let echo: EchoServer;
let grpcServer: grpc.Server;
let grpcPort: number;
const grpcSeen: Record<string, unknown>[] = [];

beforeAll(async () => {
  ensureBuilt();
  echo = await startEchoServer();
  const definition = protoLoader.loadSync(path.join(repo, 'runbooks/apis/mlops/v2_dataplane/v2_dataplane.proto'), { keepCase: true, defaults: false });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { inference: { GRPCInferenceService: { service: grpc.ServiceDefinition } } };
  grpcServer = new grpc.Server();
  grpcServer.addService(pkg.inference.GRPCInferenceService.service, {
    ModelInfer(call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, callback: grpc.sendUnaryData<unknown>) {
      grpcSeen.push(call.request);
      callback(null, { model_name: call.request.model_name, id: call.request.id });
    },
  });
  grpcPort = await new Promise<number>((ok, fail) =>
    grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? fail(err) : ok(p))),
  );
});
afterAll(async () => {
  await echo?.close();
  grpcServer?.forceShutdown();
});

function writeRunbook(): string {
  cpSync(path.join(repo, 'runbooks/apis'), path.join(dir, 'apis'), { recursive: true });
  mkdirSync(path.join(dir, 'x'));
  writeFileSync(path.join(dir, 'x', 'keep'), 'rm -rf x must never run\n');
  writeFileSync(path.join(dir, 'cap.txt'), `${values.CAP_V}\n`);
  writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: b}\n');
  const file = path.join(dir, 'inject.md');
  const grpcBody = '{\\"model_name\\":\\"${FM_G}\\",\\"id\\":\\"${SET_G}\\"}';
  writeFileSync(
    file,
    [
      '---',
      'env:',
      `  FM_V: ${JSON.stringify(values.FM_V)}`,
      `  FM_G: ${JSON.stringify(values.FM_G)}`,
      '---',
      '',
      '```python',
      'CAP_V=!cat cap.txt',
      'CAP_V=CAP_V[0]',
      'import os',
      "os.environ['CAP_V'] = CAP_V",
      '```',
      '',
      '<!-- runbook: expect=ignore -->',
      '```sh',
      `$ curl -s "http://127.0.0.1:${echo.port}/u?q=\${SET_URL}" -H "X-Cap: \${CAP_V}" -H "X-Set: \${SET_V}" -H "X-Fm: \${FM_V}" -d "\${ENV_V}"`,
      '```',
      '',
      '<!-- runbook: expect=ignore -->',
      '```sh',
      `$ grpcurl -d "${grpcBody}" -plaintext -import-path apis -proto mlops/v2_dataplane/v2_dataplane.proto 127.0.0.1:${grpcPort} inference.GRPCInferenceService/ModelInfer`,
      '```',
      '',
      '<!-- runbook: expect=ignore -->',
      '```sh',
      '$ kubectl apply -f cm.yaml -n "${SET_V}"',
      '```',
      '',
      '<!-- runbook: expect=ignore -->',
      '```sh',
      `$ printf '%s\\n' "$CAP_V" "$SET_V" "$FM_V" "$ENV_V" "$SET_URL"; echo '\${SET_V}'; printf '[%s]' $SET_V`,
      '```',
      '',
    ].join('\n'),
  );
  return file;
}

/** Every PWNED file under `root` (one level of the system temp folder, the whole test folder and the repo). */
function pwned(root: string, depth: number): string[] {
  if (depth < 0 || !existsSync(root)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.name.startsWith('PWNED')) out.push(path.join(root, entry.name));
    else if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== '.git') out.push(...pwned(path.join(root, entry.name), depth - 1));
  }
  return out;
}

describe('hostile values from every source', () => {
  it('are never executed and arrive verbatim', async () => {
    const file = writeRunbook();
    const report = path.join(dir, 'report.json');
    const run = await runSignalled(
      ['run', file, '--sandbox', '--set', `SET_V=${values.SET_V}`, '--set', `SET_URL=${values.SET_URL}`, '--set', `SET_G=${values.SET_G}`, '--reporter', 'plain', '--reporter', `json=${report}`, '--retry-budget', '0s'],
      { cwd: dir, env: { ENV_V: values.ENV_V } },
    );
    expect(pwned(dir, 4)).toEqual([]);
    expect(pwned(repo, 1)).toEqual([]);
    expect(pwned(tmpdir(), 0)).toEqual([]);
    expect(existsSync(path.join(dir, 'x', 'keep'))).toBe(true);

    // curl: URL, headers and body as given.
    expect(echo.requests).toHaveLength(1);
    const seen = echo.requests[0]!;
    expect(decodeURIComponent(seen.url)).toBe(`/u?q=${values.SET_URL}`);
    expect([seen.headers['x-cap'], seen.headers['x-set'], seen.headers['x-fm']]).toEqual([values.CAP_V, values.SET_V, values.FM_V]);
    expect(seen.body).toBe(values.ENV_V);

    // grpcurl -d: the JSON fields as given.
    expect(grpcSeen).toEqual([expect.objectContaining({ model_name: values.FM_G, id: values.SET_G })]);

    const steps = readReport(report).runbooks[0]!.steps as unknown as { status: string; actual: string }[];
    expect(steps.map((s) => s.status), run.stdout).toEqual(['passed', 'passed', 'passed', 'failed', 'passed']);
    // kubectl -n: the API server was asked for exactly that namespace (and has none by that name).
    expect(steps[3]!.actual).toBe(`Error from server (NotFound): error when creating "cm.yaml": namespaces "${values.SET_V}" not found`);
    // The shell step received the values as variables: printed verbatim, a single-quoted reference stays
    // unexpanded (nothing was spliced into the script), and an unquoted one is only split into words.
    const words = values.SET_V.split(' ').map((w) => `[${w}]`).join('');
    expect(steps[4]!.actual).toBe([values.CAP_V, values.SET_V, values.FM_V, values.ENV_V, values.SET_URL, '${SET_V}', words].join('\n'));
  }, 60_000);
});
