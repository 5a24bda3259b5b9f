/**
 * Every `runbook` command shown in the README must be one the CLI accepts: each flag it uses is listed by that
 * command's --help, and the commands that need no cluster run for real.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'shell-quote';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repo, runCli } from './commands/run-cli.js';

beforeAll(ensureBuilt);

const readme = readFileSync(`${repo}/README.md`, 'utf8');

/** Command lines from fenced blocks and inline code that invoke runbook. */
function commands(): string[][] {
  const texts = [...readme.matchAll(/```(?:sh|yaml)\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n'));
  texts.push(...[...readme.matchAll(/`((?:npx )?runbook [^`]+)`/g)].map((m) => m[1]!));
  return texts
    .map((line) => line.replace(/^.*?(?=(npx )?runbook )/, '').replace(/\$\{\{[^}]*\}\}/g, 'X'))
    .filter((line) => /^(npx )?runbook /.test(line) && !line.includes('…'))
    .map((line) => parse(line).filter((w): w is string => typeof w === 'string').filter((w, i) => !(i === 0 && w === 'npx')));
}

describe('README', () => {
  const all = commands();

  it('shows the two quick-start commands and nothing else there', () => {
    const quick = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1]!.trim().split('\n');
    expect(quick).toEqual(['npm ci && npx runbook run runbooks/istio.md --sandbox', 'npm test']);
    expect(readFileSync(`${repo}/.ci/run`, 'utf8')).toMatch(/npm ci\nnpm test/);
  });

  it('uses only flags that the CLI knows', async () => {
    expect(all.length).toBeGreaterThan(5);
    const help = new Map<string, string>();
    for (const words of all) {
      const command = words[1]!;
      if (!help.has(command)) help.set(command, (await runCli([command, '--help'])).stdout);
      for (const flag of words.filter((w) => w.startsWith('--'))) {
        expect(help.get(command), `${words.join(' ')}: ${flag}`).toContain(flag.split('=')[0]);
      }
    }
  });

  it('runs its list and check commands', async () => {
    const list = await runCli(['list', 'runbooks/istio.md', '--json']);
    expect(list.code).toBe(0);
    const check = await runCli(['check', 'runbooks/istio.md']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });
});
