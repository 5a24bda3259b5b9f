// Fixtures for the side-by-side rows: a background sandbox, shims that let plain tools reach it, the
// istio cells as a bash script and as a notebook, and the trivial-cell runbook in each peer's format.
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(new URL('..', import.meta.url).pathname);
export const cli = path.join(root, 'bin', 'runbook.js');

/** Starts `runbook sandbox` in the background; resolves with its kubeconfig, connect-to mapping and a stop(). */
export function startSandbox(args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'sandbox', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
    child.stdout.on('data', (d) => {
      text += d;
      const kubeconfig = /^kubeconfig: (.*)$/m.exec(text)?.[1];
      const connectTo = /^connect-to: (.*)$/m.exec(text)?.[1];
      if (kubeconfig && connectTo) {
        child.removeAllListeners('exit');
        resolve({
          pid: child.pid,
          kubeconfig,
          connectTo,
          ingressPort: Number(connectTo.split(':').pop()),
          stop: () => new Promise((done) => (child.once('exit', done), child.kill('SIGTERM'))),
        });
      }
    });
  });
}

/** A bin folder with `kustomize` (→ kubectl kustomize) and `curl` (→ curl --connect-to) for the plain peers. */
export function shims(dir, connectTo) {
  const bin = path.join(dir, 'shims');
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'kustomize'), '#!/bin/sh\n[ "$1" = build ] && shift\nexec kubectl kustomize "$@"\n');
  writeFileSync(path.join(bin, 'curl'), `#!/bin/sh\nexec /usr/bin/curl --connect-to ${connectTo} "$@"\n`);
  for (const f of ['kustomize', 'curl']) chmodSync(path.join(bin, f), 0o755);
  return bin;
}

/** Copies runbooks/ to `dir` with the grpcurl cells (and their outputs) removed: grpcurl is not installable here. */
export function istioWithoutGrpc(dir) {
  const target = path.join(dir, 'runbooks');
  cpSync(path.join(root, 'runbooks'), target, { recursive: true });
  const lines = readFileSync(path.join(target, 'istio.md'), 'utf8').split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === '```python' && lines[i + 1]?.startsWith('!grpcurl')) {
      i++;
      while (lines[i] !== '```') i++;
      while (i + 1 < lines.length && (lines[i + 1] === '' || lines[i + 1].startsWith('    '))) i++;
      continue;
    }
    out.push(lines[i]);
  }
  const file = path.join(target, 'istio-nogrpc.md');
  writeFileSync(file, out.join('\n'));
  return file;
}

/** The plan's commands as one bash script, the way a person would paste the cells. */
export function bashScript(runbook) {
  const plan = JSON.parse(execFileSync(process.execPath, [cli, 'list', runbook, '--json'], { encoding: 'utf8' }));
  const body = plan.steps.map((s) => {
    if (s.kind === 'capture') return `${s.args.variable}=$(${s.args.command})\nexport ${s.args.variable}\necho "'$${s.args.variable}'"`;
    return s.command;
  });
  return `set -e\ncd ${JSON.stringify(path.dirname(runbook))}\n${body.join('\n')}\n`;
}

/** The notebook of a Markdown runbook, made by `runbook convert`. */
export function notebookOf(markdownFile, notebookFile) {
  execFileSync(process.execPath, [cli, 'convert', markdownFile, '-o', notebookFile]);
}

/** 13 trivial `echo` cells with recorded output, in the formats of runbook, txm and cram. */
export function trivialCells(dir) {
  mkdirSync(dir, { recursive: true });
  const n = [...Array(13).keys()].map((i) => i + 1);
  writeFileSync(
    path.join(dir, 'echo.md'),
    n.map((i) => `## Cell ${i}\n\n\`\`\`python\n!echo hello ${i}\n\`\`\`\n\n    hello ${i}\n`).join('\n'),
  );
  writeFileSync(
    path.join(dir, 'echo-txm.md'),
    n
      .map((i) => `<!-- !test program bash -->\n\n<!-- !test in cell ${i} -->\n\`\`\`\necho hello ${i}\n\`\`\`\n\n<!-- !test out cell ${i} -->\n\`\`\`\nhello ${i}\n\`\`\`\n`)
      .join('\n'),
  );
  writeFileSync(path.join(dir, 'echo.t'), n.map((i) => `  $ echo hello ${i}\n  hello ${i}\n`).join(''));
  notebookOf(path.join(dir, 'echo.md'), path.join(dir, 'echo.ipynb'));
}

/** txm is an npm package; install it outside the project so it is not a dependency of runbook. */
export function ensureTxm(dir) {
  const bin = path.join(dir, 'node_modules', '.bin', 'txm');
  if (!existsSync(bin)) execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--silent', 'txm'], { stdio: 'ignore' });
  return bin;
}

/** The cram executable on PATH (Debian's python3-cram installs it as cram3), or undefined where it is absent (CI). */
export function cramBin() {
  for (const name of ['cram3', 'cram']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // `command -v` exits 1 for a name that is not there.
    }
  }
  return undefined;
}
