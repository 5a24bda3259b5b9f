/**
 * .ci/run with every command it calls replaced by a stub that logs: it installs exactly the missing tools, then
 * runs `npm ci` and `npm test` with RUNBOOK_REQUIRE_TOOLS=1, so that nothing is skipped in CI.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a copy of .ci/run with PATH holding only the stubs, `present` tools, and what bash needs. */
function ciRun(present: string[]): string[] {
  const root = mkdtempSync(path.join(tmpdir(), 'runbook-ci-'));
  try {
    cpSync(path.join(repo, '.ci'), path.join(root, '.ci'), { recursive: true });
    const bin = path.join(root, 'bin');
    mkdirSync(bin);
    const log = path.join(root, 'log');
    const stub = (name: string, body = '') =>
      writeFileSync(path.join(bin, name), `#!/bin/bash\necho "${name} $* RUNBOOK_REQUIRE_TOOLS=\${RUNBOOK_REQUIRE_TOOLS:-}" >> ${log}\n${body}`, { mode: 0o755 });
    for (const tool of ['apt-get', 'npm', 'install', ...present]) stub(tool);
    writeFileSync(path.join(bin, 'id'), '#!/bin/bash\necho 0\n');
    chmodSync(path.join(bin, 'id'), 0o755);
    for (const tool of ['dirname']) symlinkSync(execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(bin, tool));
    try {
      execFileSync('/bin/bash', [path.join(root, '.ci/run')], { env: { PATH: bin, HOME: root }, stdio: 'pipe', encoding: 'utf8' });
    } catch (error) {
      throw new Error(`.ci/run failed: ${(error as { stderr?: string }).stderr ?? String(error)}`);
    }
    return readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('.ci/run', () => {
  const curl = existsSync('/usr/bin/curl') ? [] : ['curl'];

  it('runs npm ci then npm test with RUNBOOK_REQUIRE_TOOLS=1, installing nothing when every tool is there', () => {
    // /usr/bin/curl is looked for by its path, which a stub cannot provide: without it, it is installed.
    const installCurl = curl.length ? ['apt-get update RUNBOOK_REQUIRE_TOOLS=', 'apt-get install -y --no-install-recommends curl RUNBOOK_REQUIRE_TOOLS='] : [];
    expect(ciRun(['script', 'python3', 'kubectl'])).toEqual([
      // The stub python3 succeeds, so IPython counts as importable and python3-ipython is not installed.
      'python3 -c import IPython RUNBOOK_REQUIRE_TOOLS=',
      ...installCurl,
      'npm ci RUNBOOK_REQUIRE_TOOLS=1',
      'npm test RUNBOOK_REQUIRE_TOOLS=1',
    ]);
  });

  it('installs the missing Debian packages first', () => {
    expect(ciRun(['kubectl'])).toEqual([
      'apt-get update RUNBOOK_REQUIRE_TOOLS=',
      `apt-get install -y --no-install-recommends ${[...curl, 'bsdutils', 'python3', 'python3-ipython'].join(' ')} RUNBOOK_REQUIRE_TOOLS=`,
      'npm ci RUNBOOK_REQUIRE_TOOLS=1',
      'npm test RUNBOOK_REQUIRE_TOOLS=1',
    ]);
  });

  it('stops with exit 2 and says so when kubectl is missing (no registry it can reach packages it)', () => {
    expect(() => ciRun(['script', 'python3'])).toThrow('ci: kubectl v1.32 is required by the end-to-end tests and is not on PATH');
  });
});
