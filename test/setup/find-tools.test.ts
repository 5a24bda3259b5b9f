/** The tool guards' decisions: which needs are unmet and why, and that CI's RUNBOOK_REQUIRE_TOOLS turns a skip into a failure. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { find, unmet, versionMatches, type Found } from './find-tools.js';
import { needs } from '../tools.js';

const table: Record<string, Found> = {
  kubectl: { path: '/usr/bin/kubectl', version: '1.32.4' },
  '/usr/bin/curl': { path: '/usr/bin/curl', version: '8.5.0' },
  script: { path: '/usr/bin/script' },
  kustomize: {},
  tmux: {},
};
const lookup = (tool: string): Found => table[tool] ?? {};

describe('unmet', () => {
  it('is undefined when every tool is there in the wanted version', () => {
    expect(unmet(['kubectl 1.32', 'kubectl', 'script', 'kustomize|kubectl'], lookup)).toBeUndefined();
  });

  it('names each missing tool, wrong version and missing alternative', () => {
    expect(unmet(['tmux'], lookup)).toBe('needs tmux, not installed');
    expect(unmet(['/usr/bin/curl 7.88'], lookup)).toBe('needs /usr/bin/curl 7.88, found 8.5.0');
    expect(unmet(['script 2.38'], lookup)).toBe('needs script 2.38, found an unknown version');
    expect(unmet(['kustomize|tmux'], lookup)).toBe('needs kustomize or tmux, neither installed');
    expect(unmet(['kubectl 1.31', 'tmux'], lookup)).toBe('needs kubectl 1.31, found 1.32.4; needs tmux, not installed');
  });

  it('matches versions at dot boundaries', () => {
    expect(versionMatches('1.32.4', '1.32')).toBe(true);
    expect(versionMatches('1.32', '1.32')).toBe(true);
    expect(versionMatches('1.320.1', '1.32')).toBe(false);
    expect(versionMatches('7.88.1', '7.8')).toBe(false);
  });
});

describe('find', () => {
  it('reads what the globalSetup found from the environment', () => {
    const cached = JSON.parse(process.env.RUNBOOK_TOOLS_FOUND ?? '{}') as Record<string, Found>;
    expect(Object.keys(cached)).toEqual(expect.arrayContaining(['kubectl', 'curl', '/usr/bin/curl', 'script', 'kustomize']));
    expect(find('kubectl')).toEqual(cached.kubectl);
  });


  const dir = mkdtempSync(path.join(tmpdir(), 'runbook-tools-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a tool by path and reads its version from what --version prints', () => {
    const tool = path.join(dir, 'curl');
    writeFileSync(tool, '#!/bin/sh\necho "curl 7.88.1 (x86_64-pc-linux-gnu) libcurl/7.88.1 OpenSSL/3.0.19"\n');
    chmodSync(tool, 0o755);
    expect(find(tool)).toEqual({ path: tool, version: '7.88.1' });
    expect(find(path.join(dir, 'absent'))).toEqual({ path: undefined, version: undefined });
  });
});

describe('needs', () => {
  it('fails instead of skipping when RUNBOOK_REQUIRE_TOOLS is set', () => {
    const saved = process.env.RUNBOOK_REQUIRE_TOOLS;
    try {
      process.env.RUNBOOK_REQUIRE_TOOLS = '1';
      expect(() => needs('/nonexistent/kubectl')).toThrow('RUNBOOK_REQUIRE_TOOLS is set and a test needs /nonexistent/kubectl, not installed');
      delete process.env.RUNBOOK_REQUIRE_TOOLS;
      expect(needs('/nonexistent/kubectl').it).not.toBe(it);
    } finally {
      if (saved === undefined) delete process.env.RUNBOOK_REQUIRE_TOOLS;
      else process.env.RUNBOOK_REQUIRE_TOOLS = saved;
    }
  });
});
