/**
 * Every `runbook` command shown in the README must be one the CLI accepts: each flag it uses is listed by that
 * command's --help, and the commands that need no cluster run for real. The README's Architecture section and
 * CONTRIBUTING.md name real files and real npm scripts, and the list of files that a new step kind touches is
 * the list of files that have one entry per kind.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'shell-quote';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repo, runCli } from './commands/run-cli.js';
import { kubeKinds } from '../steps/index.js';

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

const contributing = readFileSync(`${repo}/CONTRIBUTING.md`, 'utf8');
const architecture = /## Architecture\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';

/** Sources (under src/ and steps/) with a `case 'KIND':` or a `KIND:` key for every step kind. */
function kindTables(): string[] {
  const kinds = Object.keys(kubeKinds);
  const files: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(path.join(repo, dir), { withFileTypes: true })) {
      const file = `${dir}/${entry.name}`;
      if (entry.isDirectory()) visit(file);
      else if (/\.tsx?$/.test(entry.name)) {
        const text = readFileSync(path.join(repo, file), 'utf8');
        if (kinds.every((k) => new RegExp(`case '${k}':|^\\s*${k}:`, 'm').test(text))) files.push(file);
      }
    }
  };
  visit('src');
  visit('steps');
  return files.sort();
}

describe('Architecture and CONTRIBUTING.md', () => {
  it('name only files and folders that exist', () => {
    expect(architecture).not.toBe('');
    const named = [...`${architecture}\n${contributing}`.matchAll(/`((?:src|steps|test|scripts|bench|\.ci)\/[\w./-]*|[\w-]+\.(?:md|json|ts|js|mjs))`/g)]
      .map((m) => m[1]!)
      .filter((p) => !/KIND|NAME/.test(p));
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((p) => !existsSync(path.join(repo, p)))).toEqual([]);
  });

  it('use only npm scripts that package.json has', () => {
    const scripts = Object.keys((JSON.parse(readFileSync(`${repo}/package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts);
    const used = [...`${readme}\n${contributing}`.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
    expect(used).toEqual(expect.arrayContaining(['graph', 'bench', 'fuzz', 'soak', 'build']));
    expect([...new Set(used)].filter((name) => !scripts.includes(name))).toEqual([]);
  });

  it('list, for a new step kind, every file that has one entry per kind', () => {
    const paragraph = /\*\*A new step kind\*\*([\s\S]*?)\n- \*\*/.exec(architecture)?.[1] ?? '';
    const named = new Set([...paragraph.matchAll(/`((?:src|steps)\/[\w./-]+\.ts)`/g)].map((m) => m[1]!));
    const tables = kindTables();
    // The scan is real: the registry and the matcher table are found.
    expect(tables).toEqual(expect.arrayContaining(['steps/index.ts', 'src/match/index.ts']));
    expect(tables.filter((file) => !named.has(file))).toEqual([]);
    const count = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'][tables.length];
    expect(paragraph).toContain(`the ${count ?? tables.length} tables`);
  });
});
