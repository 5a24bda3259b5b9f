import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactiveWarnings } from '../../src/commands/check-rules.js';
import { ensureBuilt, runCli } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'runbook-check-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes files under a fresh folder and returns it. */
function folder(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const cell = (command: string, output = 'ok') => `\`\`\`python\n!${command}\n\`\`\`\n\n    ${output}\n\n`;

describe('runbook check', () => {
  it('is quiet apart from the summary when everything it references exists', async () => {
    const dir = folder('good', {
      'config/app/kustomization.yaml': 'resources: []\n',
      'apis/v2.proto': 'syntax = "proto3";\n',
      'body.json': '{}',
      'manifests/a.yaml': 'kind: A\n',
      'runbook.md': [
        cell('kustomize build config/app'),
        cell('kustomize build config/app | kubectl apply -f -'),
        cell('kubectl apply -f manifests/a.yaml'),
        cell('kubectl delete -k config/app'),
        cell('curl -s http://localhost/v2 -d @body.json'),
        cell('grpcurl -plaintext -import-path apis -proto v2.proto localhost:80 inference.GRPCInferenceService/ModelInfer'),
        '```yaml\na: 1\n```\n',
      ].join(''),
    });
    const r = await runCli(['check', 'runbook.md'], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: 'checked 1 runbook, 6 steps: 0 errors, 0 warnings\n', stderr: '' });
  });

  it('reports missing paths, paths leaving the folder, interactive commands, missing output and bad YAML', async () => {
    const dir = folder('bad', {
      'config/empty/readme.txt': '',
      'runbook.md': [
        cell('kustomize build config/missing'), // line 2
        cell('kubectl apply -k config/empty'), // line 8
        cell('kubectl apply -f ../outside.yaml'), // line 14
        cell('curl -d @missing.json http://x'), // line 20
        '```python\n!kubectl exec -it iris-0 -- sh\n```\n\n', // line 26
        '```yaml\na: [1\n```\n', // YAML on line 30
        cell('kubectl edit model iris'), // line 33
      ].join(''),
    });
    const r = await runCli(['check', 'runbook.md'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      'runbook.md:2:1: error: kustomize folder config/missing does not exist',
      'runbook.md:8:1: error: kustomize folder config/empty has no kustomization.yaml',
      "runbook.md:14:1: warning: manifest ../outside.yaml is outside the runbook's folder, so the runbook is not self-contained",
      'runbook.md:14:1: error: manifest ../outside.yaml does not exist',
      'runbook.md:20:1: error: curl --data @file missing.json does not exist',
      'runbook.md:26:1: warning: interactive command: kubectl exec -it waits for a terminal; drop -t (and -i unless input is piped)',
      'runbook.md:26:1: warning: no recorded output: add what the command prints after the cell, or mark it <!-- runbook: expect=ignore -->',
      'runbook.md:30:6: error: YAML does not parse: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'runbook.md:33:1: warning: interactive command: kubectl edit opens an editor; use kubectl apply or kubectl patch',
      'checked 1 runbook, 6 steps: 5 errors, 4 warnings',
      '',
    ]);
  });

  it('reads the manifests and kustomizations steps use: YAML that does not parse, a listed file that is missing', async () => {
    const dir = folder('manifests', {
      'manifests/bad.yaml': 'kind: Model\nspec: [a\n',
      'manifests/ok.yaml': 'kind: Model\n',
      'more/one.yaml': 'kind: A\n---\nkind: B\n  bad: indent\n',
      'config/app/kustomization.yaml': 'resources:\n  - model.yaml\n  - gone.yaml\n  - ../base\npatches:\n  - path: patch.yaml\n',
      'config/app/model.yaml': 'kind: Model\n',
      'config/base/kustomization.yaml': 'resources: [broken.yaml]\n',
      'config/base/broken.yaml': 'a: b: c\n',
      'runbook.md': [
        cell('kubectl apply -f manifests/bad.yaml'), // line 2
        cell('kubectl apply -f manifests/ok.yaml -f more'), // line 8
        cell('kubectl apply -k config/app'), // line 14
        cell('kustomize build config/app', 'kind: Model\n    metadata: {name: [iris}'), // line 20, output on 23-24
        cell('kubectl delete -k config/app'), // line 27
      ].join(''),
    });
    const r = await runCli(['check', 'runbook.md'], { cwd: dir });
    expect(r.stdout.split('\n')).toEqual([
      'runbook.md:24:27: error: recorded build output is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'manifests/bad.yaml:3:1: error: YAML does not parse: Flow sequence in block collection must be sufficiently indented and end with a ] (read by the step at runbook.md:2)',
      'more/one.yaml:3:7: error: YAML does not parse: Nested mappings are not allowed in compact mappings (read by the step at runbook.md:8)',
      'config/app/kustomization.yaml:3:5: error: resources: gone.yaml does not exist (read by the step at runbook.md:14)',
      'config/base/broken.yaml:1:4: error: YAML does not parse: Nested mappings are not allowed in compact mappings (read by the step at runbook.md:14)',
      'config/app/kustomization.yaml:6:11: error: patches path: patch.yaml does not exist (read by the step at runbook.md:14)',
      'checked 1 runbook, 5 steps: 6 errors, 0 warnings',
      '',
    ]);
    expect(r.code).toBe(1);
  });

  it('resolves paths from the runbook\'s folder, not the working directory', async () => {
    const dir = folder('nested', { 'docs/config/a/kustomization.yaml': '', 'docs/runbook.md': cell('kustomize build config/a') });
    const r = await runCli(['check', join(dir, 'docs/runbook.md')]);
    expect(r.code).toBe(0);
  });

  it('reports a bad directive as an error (exit 1), and unreadable input with exit 2', async () => {
    const dir = folder('directive', { 'runbook.md': '<!-- runbook: timeout=never -->\n```sh\necho\n```\n', 'ok.md': '# nothing\n' });
    const bad = await runCli(['check', 'runbook.md', 'ok.md'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe(
      "runbook.md:1:23: error: bad timeout: 'never'; expected timeout=DURATION (e.g. 500ms, 60s, 5m)\n" +
        'runbook.md:3:1: warning: no recorded output: add what the command prints after the cell, or mark it <!-- runbook: expect=ignore -->\n' +
        'checked 2 runbooks, 1 step: 1 error, 1 warning\n',
    );
    const missing = await runCli(['check', 'ok.md', 'gone.md'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('gone.md:1:1: error: no such file\n');
  });

  it('reports every directive problem, not only the first, and still checks the steps', async () => {
    const dir = folder('directives', {
      'runbook.md': ['<!-- runbook: timout=5s skip -->', '```sh', '$ kubectl apply -f gone.yaml', '```', '', '<!-- runbook: expect=fuzzy -->', 'prose', '', '<!-- runbook: read-only=yes -->', '```sh', '$ echo', 'x', '```', ''].join('\n'),
    });
    const r = await runCli(['check', 'runbook.md'], { cwd: dir });
    expect(r.stdout.split('\n')).toEqual([
      "runbook.md:1:15: error: unknown runbook option 'timout'; expected one of: skip, timeout=DURATION (e.g. 500ms, 60s, 5m), expect=default|exact|contains|ignore, retry-budget=DURATION (e.g. 30s, 2m), read-only, strict-outcome",
      'runbook.md:6:1: error: runbook directive is not followed by a code cell (```python, ```sh …); found text instead',
      "runbook.md:6:22: error: bad expect: 'fuzzy'; expected expect=default|exact|contains|ignore",
      "runbook.md:9:25: error: 'read-only' takes no value; write just 'read-only'",
      'checked 1 runbook, 2 steps: 4 errors, 0 warnings',
      '',
    ]);
    expect(r.code).toBe(1);
  });

  it('reports front matter keys that look like misspelt settings as errors, as run refuses them', async () => {
    const dir = folder('front-matter', { 'runbook.md': '---\ntitle: x\n  \ncontext: [kind-*]\nsidebar_position: 2\n---\n```sh\n$ kubectl get ns\n```\n' });
    const r = await runCli(['check', 'runbook.md'], { cwd: dir });
    expect(r).toMatchObject({
      code: 1,
      stdout:
        "runbook.md:4:1: error: front matter key 'context' is not a runbook setting; did you mean 'contexts'? (a mistyped setting would be silently ignored; settings are title, contexts, env, timeout, retry-budget, runbook)\nchecked 1 runbook, 0 steps: 1 error, 0 warnings\n",
    });
    const run = await runCli(['run', 'runbook.md', '--kubeconfig', join(dir, 'none'), '--reporter', 'plain'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("runbook.md:4:1: front matter key 'context' is not a runbook setting; did you mean 'contexts'?");
    expect(run.stdout).not.toContain('kubectl get ns');
  });

  it('checks the runbooks of a folder and lists the other files as ignored', async () => {
    const r = await runCli(['check', 'test/fixtures/docs-folder', 'runbooks/istio.md']);
    expect(r.stdout.split('\n')).toEqual([
      'test/fixtures/docs-folder/docs/transcript.md: ignored: front matter says runbook: false',
      'test/fixtures/docs-folder/docs/tutorial.md: ignored: no steps: no `$ ` prompt, recorded output or `!` cell (front matter `runbook: true` opts in)',
      'test/fixtures/docs-folder/README.md: ignored: no steps: no `$ ` prompt, recorded output or `!` cell (front matter `runbook: true` opts in)',
      'checked 3 runbooks, 15 steps: 0 errors, 0 warnings (3 files ignored)',
      '',
    ]);
    expect(r.code).toBe(0);
  });

  it('passes runbooks/istio.md', async () => {
    const r = await runCli(['check', 'runbooks/istio.md']);
    expect(r).toMatchObject({ code: 0, stdout: 'checked 1 runbook, 13 steps: 0 errors, 0 warnings\n' });
  });

  it('checks notebooks too, at the line of the cell', async () => {
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', metadata: {}, source: '!kustomize build nowhere', outputs: [] }] };
    const dir = folder('notebook', { 'n.ipynb': JSON.stringify(nb, null, 1) });
    const r = await runCli(['check', 'n.ipynb'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('n.ipynb:6:1: error: kustomize folder nowhere does not exist\n');
  });

  it('reports every bad cell tag of a notebook', async () => {
    const code = (tags: string[]) => ({ cell_type: 'code', metadata: { tags }, source: '!echo a', outputs: [{ output_type: 'stream', name: 'stdout', text: 'a\n' }] });
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [code(['runbook-timeout=soon']), code(['runbook-skip', 'runbook-expect=fuzzy'])] };
    const dir = folder('notebook-tags', { 'n.ipynb': JSON.stringify(nb, null, 1) });
    const r = await runCli(['check', 'n.ipynb'], { cwd: dir });
    expect(r.stdout).toMatch(/^n\.ipynb:\d+:\d+: error: cell 0: tag 'runbook-timeout=soon': bad timeout: 'soon'.*\nn\.ipynb:\d+:\d+: error: cell 1: tag 'runbook-expect=fuzzy': bad expect: 'fuzzy'.*\nchecked 1 runbook, 2 steps: 2 errors, 0 warnings\n$/);
    expect(r.code).toBe(1);
  });

  it('checks YAML fences in a notebook\'s markdown cells, at the cell\'s line', async () => {
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'markdown', metadata: {}, source: 'The model:\n\n```yaml\nkind: [Model\n```\n' }] };
    const dir = folder('notebook-yaml', { 'n.ipynb': JSON.stringify(nb, null, 1) });
    const r = await runCli(['check', 'n.ipynb'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^n\.ipynb:6:1: error: YAML does not parse: /);
  });
});

describe('interactive commands', () => {
  it.each([
    ['kubectl exec -ti pod -- sh', 1],
    ['kubectl run x --image=busybox -i -t', 1],
    ['kubectl attach pod --stdin --tty', 1],
    ['docker run -it alpine', 1],
    ['kubectl get pods -w', 1],
    ['kubectl port-forward svc/x 8080:80', 1],
    ['vim config.yaml', 1],
    ['kubectl exec pod -- ls -lt', 0],
    ['curl -i -t http://x', 0],
    ['kubectl exec -i pod -- cat < file', 0],
    ['kubectl apply -f a.yaml -n x', 0],
  ])('%s: %i warning(s)', (command, count) => {
    expect(interactiveWarnings(command)).toHaveLength(count);
  });
});
