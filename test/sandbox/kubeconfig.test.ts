import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { SELDON_EXTENSION, asSeldonExtension } from '../../src/core/kubeconfig-extension.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { kubeconfigYaml, writeKubeconfig } from '../../src/sandbox/kubeconfig.js';
import { fakeDataPlane } from './helpers.js';

const input = { server: 'https://127.0.0.1:6443', ca: 'PEM', token: 'secret-token', connectTo: ['172.21.255.1:80:127.0.0.1:8080'] };

describe('writeKubeconfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runbook-kubeconfig-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('replaces an existing file readable by everyone with one only its owner reads, creating folders', async () => {
    const path = join(dir, 'a', 'b', 'kubeconfig');
    await writeKubeconfig(path, input);
    expect(await readFile(path, 'utf8')).toBe(kubeconfigYaml(input));
    await writeFile(path, 'old', { mode: 0o644 });
    await writeKubeconfig(path, { ...input, token: 'next' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).toContain('token: next');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['kubeconfig']);
  });

  test('writes through a symlink and keeps the link', async () => {
    const real = join(dir, 'real-kubeconfig');
    const link = join(dir, 'kubeconfig');
    await writeFile(real, 'old');
    await symlink(real, link);
    await writeKubeconfig(link, input);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(real);
    expect(await readFile(real, 'utf8')).toBe(kubeconfigYaml(input));
  });

  test('a failed write leaves no temporary file behind', async () => {
    // A folder where the file should be: the rename over it fails.
    const path = join(dir, 'kubeconfig');
    await mkdir(path);
    await expect(writeKubeconfig(path, input)).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['kubeconfig']);
  });
});

describe('the sandbox kubeconfig', () => {
  test('records where Seldon answers (runbook.dev/seldon) and maps those addresses to the real ports', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runbook-kubeconfig-seldon-'));
    const sb = await startSandbox({ kubeconfig: join(dir, 'kubeconfig') }, { startDataPlane: fakeDataPlane() });
    try {
      const doc = parse(await readFile(sb.kubeconfigPath, 'utf8')) as { clusters: { cluster: { extensions: { name: string; extension: Record<string, unknown> }[] } }[] };
      const extensions = doc.clusters[0]!.cluster.extensions;
      const seldon = asSeldonExtension(extensions.find((e) => e.name === SELDON_EXTENSION)?.extension);
      expect(seldon).toEqual({
        schedulerHost: '172.21.255.3:9004',
        inferenceHost: '172.21.255.2:80',
        kafkaBroker: '172.21.255.4:9092',
        kafkaNamespace: 'seldon-mesh',
        // What the scheduler never leaves by itself, so waits on the sandbox end rather than time out.
        permanentStates: { Model: ['ModelFailed'] },
      });
      expect(extensions.find((e) => e.name === 'runbook.dev/connect-to')?.extension).toEqual({
        connectTo: [
          sb.connectTo,
          `172.21.255.2:80:127.0.0.1:${sb.meshPort}`,
          `172.21.255.3:9004:127.0.0.1:${sb.schedulerPort}`,
          `172.21.255.4:9092:127.0.0.1:${sb.kafkaPort}`,
          // The seldon CLI's defaults, where a local install answers: the sandbox's mesh, scheduler and broker.
          `0.0.0.0:9000:127.0.0.1:${sb.meshPort}`,
          `0.0.0.0:9004:127.0.0.1:${sb.schedulerPort}`,
          `0.0.0.0:9092:127.0.0.1:${sb.kafkaPort}`,
        ],
      });
      expect(asSeldonExtension({ schedulerHost: 'a:1' })).toBeUndefined();
    } finally {
      await sb.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
