/**
 * Finds the tools some tests need (by name on PATH, or by absolute path) and their versions. Plain Node, no
 * vitest: the globalSetup (test/setup/tools.ts) runs it once and leaves the answers in the environment, and
 * test/tools.ts turns them into guards.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** The tools the suite uses, each with how it prints its version. */
export const versionArgs = {
  curl: ['--version'],
  kubectl: ['version', '--client'],
  script: ['--version'],
  python3: ['--version'],
  flock: ['--version'],
  tmux: ['-V'],
  kustomize: ['version'],
} as const;

export type ToolName = keyof typeof versionArgs;

/**
 * A tool by name (looked up on PATH) or by absolute path, optionally with a version prefix (`kubectl 1.32`), or
 * alternatives (`kustomize|kubectl`: what a runbook's build step runs).
 */
export type Need = ToolName | `/${string}` | `${ToolName | `/${string}`} ${string}` | `${ToolName}|${ToolName}`;

export interface Found {
  path?: string;
  version?: string;
}

/** Where the globalSetup leaves what it found, so that each test file does not run every `--version` again. */
export const cacheVariable = 'RUNBOOK_TOOLS_FOUND';

const found = new Map<string, Found>(Object.entries(JSON.parse(process.env[cacheVariable] ?? '{}') as Record<string, Found>));

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** Finds a tool (by name on PATH, or by absolute path) and its version, once per process. */
export function find(tool: string): Found {
  const cached = found.get(tool);
  if (cached) return cached;
  const name = tool.split('/').pop() as ToolName;
  let path: string | undefined = tool;
  if (isAbsolute(tool)) {
    try {
      accessSync(tool, constants.X_OK);
    } catch {
      path = undefined;
    }
  } else {
    path = onPath(tool);
  }
  let version: string | undefined;
  if (path && name in versionArgs) {
    try {
      const out = execFileSync(path, versionArgs[name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
      version = /(\d+\.\d+(?:\.\d+)?)/.exec(out)?.[1];
    } catch {
      // a tool that cannot print its version counts as found, of an unknown version
    }
  }
  const result = { path, version };
  found.set(tool, result);
  return result;
}

/** Every tool this suite's guards ask for (kustomize only as kubectl's alternative), for the globalSetup. */
export function findAll(): Record<string, Found> {
  const all: Record<string, Found> = {};
  for (const tool of [...Object.keys(versionArgs), '/usr/bin/curl']) all[tool] = find(tool);
  return all;
}

/** The tools whose absence skips tests today (kustomize is not one: kubectl builds kustomizations too). */
export const reported = ['kubectl', 'curl', '/usr/bin/curl', 'script', 'python3'];

/** Whether `version` starts with `wanted` at a dot boundary: 1.32.4 is 1.32, 1.320 is not. */
export function versionMatches(version: string, wanted: string): boolean {
  return version === wanted || version.startsWith(`${wanted}.`);
}

/** Why the needs are not met (one phrase per unmet need), or undefined when every tool is there. */
export function unmet(needs: readonly Need[], lookup: (tool: string) => Found = find): string | undefined {
  const reasons: string[] = [];
  for (const need of needs) {
    if (need.includes('|')) {
      if (!need.split('|').some((tool) => lookup(tool).path)) reasons.push(`needs ${need.replace('|', ' or ')}, neither installed`);
      continue;
    }
    const [tool = need, wanted] = need.split(' ');
    const { path, version } = lookup(tool);
    if (!path) reasons.push(`needs ${need}, not installed`);
    else if (wanted !== undefined && (version === undefined || !versionMatches(version, wanted))) {
      reasons.push(`needs ${need}, found ${version ?? 'an unknown version'}`);
    }
  }
  return reasons.length ? reasons.join('; ') : undefined;
}


/** Whether a missing tool must fail the run (CI) rather than skip its tests. */
export const toolsRequired = (): boolean => /^(1|true|yes)$/i.test(process.env.RUNBOOK_REQUIRE_TOOLS ?? '');
