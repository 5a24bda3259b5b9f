/**
 * Kubeconfig resolution is kubectl's: --kubeconfig alone, else the KUBECONFIG list merged (first file wins per
 * name and for current-context; missing entries skipped), else ~/.kube/config. The connect-to extension and kube
 * access both go through it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { CONNECT_TO_EXTENSION } from '../../src/core/kubeconfig-extension.js';
import { loadKubeAccess } from '../../src/kube/access.js';
import { connectToFromLookup } from '../../src/kube/kubeconfig-connect-to.js';
import { kubeconfigFiles } from '../../src/kube/kubeconfig-files.js';
import { tempDir } from '../runner/fixtures.js';

const dir = tempDir('runbook-kubeconfig-');

/** A kubeconfig with one context `name` on cluster `name` at `server`, mapping `connectTo` when given. */
function kubeconfig(file: string, name: string, server: string, options: { current?: boolean; connectTo?: string } = {}): string {
  const full = path.join(dir, file);
  const extensions = options.connectTo ? [{ name: CONNECT_TO_EXTENSION, extension: { connectTo: [options.connectTo] } }] : undefined;
  writeFileSync(
    full,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name, cluster: { server, ...(extensions && { extensions }) } }],
      users: [{ name, user: { token: 't' } }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      ...(options.current !== false && { 'current-context': name }),
    }),
  );
  return full;
}

describe('kubeconfig resolution', () => {
  const a = kubeconfig('a', 'a', 'https://127.0.0.1:1001', { connectTo: '10.0.0.1:80:127.0.0.1:9001' });
  const b = kubeconfig('b', 'b', 'https://127.0.0.1:1002', { connectTo: '10.0.0.2:80:127.0.0.1:9002' });
  // Defines cluster `a` again, differently: the first file's must win.
  const aAgain = kubeconfig('a-again', 'a', 'https://127.0.0.1:1999', { current: false, connectTo: '10.9.9.9:80:127.0.0.1:9999' });
  const noCurrent = kubeconfig('no-current', 'c', 'https://127.0.0.1:1003', { current: false });

  it('takes --kubeconfig alone, then the KUBECONFIG list (missing entries skipped), then ~/.kube/config', () => {
    const env = { KUBECONFIG: [path.join(dir, 'missing'), a, b].join(path.delimiter) };
    expect(kubeconfigFiles({ kubeconfig: b, env }).files).toEqual([b]);
    expect(kubeconfigFiles({ env }).files).toEqual([a, b]);
    const home = path.join(dir, 'home');
    mkdirSync(path.join(home, '.kube'), { recursive: true });
    expect(kubeconfigFiles({ env: {}, home }).files).toEqual([]);
    writeFileSync(path.join(home, '.kube', 'config'), 'apiVersion: v1\n');
    expect(kubeconfigFiles({ env: {}, home }).files).toEqual([path.join(home, '.kube', 'config')]);
    expect(() => kubeconfigFiles({ kubeconfig: path.join(dir, 'missing') })).toThrow(/--kubeconfig .*missing: no such file/);
  });

  it('reads the connect-to extension from KUBECONFIG as from --kubeconfig, also as a later entry of the list', () => {
    expect(connectToFromLookup({ kubeconfig: a, env: {} })).toEqual(['10.0.0.1:80:127.0.0.1:9001']);
    expect(connectToFromLookup({ env: { KUBECONFIG: a } })).toEqual(['10.0.0.1:80:127.0.0.1:9001']);
    // A first file without current-context: the second file's context is current, with its cluster's extension.
    expect(connectToFromLookup({ env: { KUBECONFIG: [noCurrent, b].join(path.delimiter) } })).toEqual(['10.0.0.2:80:127.0.0.1:9002']);
    // First wins: current-context and cluster `a` come from the first file that sets them.
    expect(connectToFromLookup({ env: { KUBECONFIG: [a, b].join(path.delimiter) } })).toEqual(['10.0.0.1:80:127.0.0.1:9001']);
    expect(connectToFromLookup({ env: { KUBECONFIG: [b, a].join(path.delimiter) } })).toEqual(['10.0.0.2:80:127.0.0.1:9002']);
    expect(connectToFromLookup({ env: { KUBECONFIG: [b, a, aAgain].join(path.delimiter) } }, 'a')).toEqual(['10.0.0.1:80:127.0.0.1:9001']);
    expect(connectToFromLookup({ env: { KUBECONFIG: [aAgain, a].join(path.delimiter) } }, 'a')).toEqual(['10.9.9.9:80:127.0.0.1:9999']);
    expect(connectToFromLookup({ env: {}, home: path.join(dir, 'nowhere') })).toEqual([]);
  });

  it('loads kube access from the merged list the same way (first current-context, first cluster of a name)', async () => {
    const merged = await loadKubeAccess({ env: { KUBECONFIG: [noCurrent, b, aAgain, a].join(path.delimiter) } });
    expect([merged.contextName, merged.server]).toEqual(['b', 'https://127.0.0.1:1002']);
    const chosen = await loadKubeAccess({ env: { KUBECONFIG: [b, aAgain, a].join(path.delimiter) }, context: 'a' });
    expect([chosen.contextName, chosen.server]).toEqual(['a', 'https://127.0.0.1:1999']);
  });

  it('says where it looked when there is no kubeconfig, and names a context that does not exist', async () => {
    const missing = path.join(dir, 'missing');
    await expect(loadKubeAccess({ env: { KUBECONFIG: missing } })).rejects.toThrow(
      `no kubeconfig found (looked at ${missing} (from KUBECONFIG)); use --kubeconfig, KUBECONFIG or --sandbox`,
    );
    await expect(loadKubeAccess({ env: {}, home: path.join(dir, 'nowhere') })).rejects.toThrow(/looked at .*nowhere\/\.kube\/config\)/);
    const error = await loadKubeAccess({ kubeconfig: a, context: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`--context nope: no such context in ${a} (contexts: a)`);
  });
});
