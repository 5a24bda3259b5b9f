/**
 * Runs conformance entries against one sandbox with the real kubectl: each entry's scratch files and setup, then
 * the checked invocation (with its `during` changes), at most `limit` entries at a time.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { TestSandbox } from '../helpers.js';
import { request } from '../helpers.js';
import type { Entry, Invocation, Setup } from './entry.js';

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  /** Set when the setup failed: the invocation did not run. */
  setupError?: string;
}

export interface RunContext {
  sandbox: TestSandbox;
  /** The kubectl arguments every call starts with (kubeconfig, cache dir). */
  base: string[];
  /** A directory the entries' scratch dirs go under. */
  root: string;
}

export function namespaceOf(entry: Entry): string {
  return `cf-${entry.name}`;
}

/** Replaces `{ns}` and `{dir}` in a text. */
export function fill(text: string, ns: string, dir: string): string {
  return text.replaceAll('{ns}', ns).replaceAll('{dir}', dir);
}

const KILL_AFTER_MS = 30_000;

interface Child {
  done: Promise<Outcome>;
  /** Resolves on the first byte of stdout. */
  printed: Promise<void>;
  /** Resolves when stderr contains `text` (or the process ends). */
  logged(text: string): Promise<void>;
  /** Sends SIGINT once stdout holds `lines` lines. */
  interruptAfter(lines: number): void;
}

function kubectl(ctx: RunContext, call: Invocation, ns: string, dir: string, env: Record<string, string> = {}): Child {
  const args = [...ctx.base, ...call.args.map((a) => fill(a, ns, dir))];
  const child = spawn('kubectl', args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let onPrint = () => {};
  const printed = new Promise<void>((resolve) => (onPrint = resolve));
  let interruptAt = Infinity;
  const maybeInterrupt = () => {
    if (stdout.split('\n').length - 1 >= interruptAt) {
      interruptAt = Infinity;
      child.kill('SIGINT');
    }
  };
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    onPrint();
    maybeInterrupt();
  });
  const waiting: { text: string; resolve: () => void }[] = [];
  const checkLogged = (ended = false) => {
    for (const w of waiting.splice(0)) {
      if (ended || stderr.includes(w.text)) w.resolve();
      else waiting.push(w);
    }
  };
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    checkLogged();
  });
  const logged = (text: string) =>
    new Promise<void>((resolve) => {
      waiting.push({ text, resolve });
      checkLogged();
    });
  child.stdin.end(call.stdin === undefined ? '' : fill(call.stdin, ns, dir));
  // A kubectl that hangs (a watch the server never ends) must fail its entry, not the whole file's hook.
  const killer = setTimeout(() => {
    stderr += `[killed: still running after ${KILL_AFTER_MS} ms]`;
    child.kill('SIGKILL');
  }, KILL_AFTER_MS);
  const done = new Promise<Outcome>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      onPrint();
      checkLogged(true);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
  const interruptAfter = (lines: number) => {
    interruptAt = lines;
    maybeInterrupt();
  };
  return { done, printed, logged, interruptAfter };
}

/** Collection URLs of the kinds the entries create. */
const COLLECTIONS: Record<string, string> = {
  'v1/ConfigMap': '/api/v1/namespaces/{ns}/configmaps',
  'v1/Secret': '/api/v1/namespaces/{ns}/secrets',
  'v1/Service': '/api/v1/namespaces/{ns}/services',
  'v1/Pod': '/api/v1/namespaces/{ns}/pods',
  'apps/v1/Deployment': '/apis/apps/v1/namespaces/{ns}/deployments',
  'apps/v1/StatefulSet': '/apis/apps/v1/namespaces/{ns}/statefulsets',
  'mlops.seldon.io/v1alpha1/Model': '/apis/mlops.seldon.io/v1alpha1/namespaces/{ns}/models',
  'mlops.seldon.io/v1alpha1/Pipeline': '/apis/mlops.seldon.io/v1alpha1/namespaces/{ns}/pipelines',
  'networking.istio.io/v1beta1/Gateway': '/apis/networking.istio.io/v1beta1/namespaces/{ns}/gateways',
  'networking.istio.io/v1beta1/VirtualService': '/apis/networking.istio.io/v1beta1/namespaces/{ns}/virtualservices',
};

const UNTIL_MS = 20_000;

/** One setup step; the error text when it failed. */
async function prepare(ctx: RunContext, step: Setup, ns: string, dir: string): Promise<string | undefined> {
  if ('args' in step) {
    const r = await kubectl(ctx, step, ns, dir).done;
    return r.code === 0 ? undefined : `setup \`kubectl ${step.args.join(' ')}\` exited ${r.code}: ${r.stderr}`;
  }
  if ('create' in step) {
    for (const doc of parseAllDocuments(fill(step.create, ns, dir))) {
      const object = doc.toJS() as { apiVersion: string; kind: string };
      const path = COLLECTIONS[`${object.apiVersion}/${object.kind}`];
      if (!path) return `setup: no collection known for ${object.apiVersion} ${object.kind}`;
      const r = await request(ctx.sandbox, 'POST', fill(path, ns, dir), { body: object });
      if (r.status !== 201) return `setup: POST ${object.kind} answered ${r.status}: ${r.text}`;
    }
    return undefined;
  }
  const path = fill(step.until.path, ns, dir);
  const deadline = Date.now() + UNTIL_MS;
  for (;;) {
    const r = await request(ctx.sandbox, 'GET', path);
    if (r.status === 200 && step.until.test(r.json)) return undefined;
    if (Date.now() > deadline) return `setup: GET ${path} did not pass its test within ${UNTIL_MS} ms: ${r.text}`;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs one entry: files, setup, then the invocation and its `during` changes. */
export async function runEntry(ctx: RunContext, entry: Entry): Promise<Outcome> {
  const ns = namespaceOf(entry);
  const dir = join(ctx.root, entry.name);
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(entry.files ?? {})) {
    const path = join(dir, name);
    await writeFile(path, fill(text, ns, dir));
    if (text.startsWith('#!')) await chmod(path, 0o755);
  }
  for (const step of entry.setup ?? []) {
    const error = await prepare(ctx, step, ns, dir);
    if (error) return { code: -1, stdout: '', stderr: '', setupError: error };
  }
  const env = Object.fromEntries(Object.entries(entry.env ?? {}).map(([k, v]) => [k, fill(v, ns, dir)]));
  const main = kubectl(ctx, entry, ns, dir, env);
  const { during } = entry;
  if (during) {
    const { after } = during;
    if (after === 'first-output') await main.printed;
    else if (typeof after === 'number') await new Promise((r) => setTimeout(r, after));
    else await main.logged(after.stderr);
    for (const step of during.run) await kubectl(ctx, step, ns, dir).done;
    if (during.interruptAfterLines !== undefined) main.interruptAfter(during.interruptAfterLines);
  }
  return main.done;
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
