/**
 * The seldon step against the sandbox (its scheduler, mesh and topics), addressed only through the sandbox's
 * kubeconfig, as a `--sandbox` run addresses it: the runbook.dev/seldon extension and the connect-to mappings.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyCommand } from '../../../src/parse/command.js';
import { kubeconfigConnectTo } from '../../../src/runner/connect.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { runSeldon } from '../../../steps/seldon.js';
import { withVars } from '../../../steps/substitute.js';
import { closeCache, fakeContext } from './fake-seldon.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
let sandbox: Sandbox;
let ctx: ReturnType<typeof fakeContext>;

beforeAll(async () => {
  sandbox = await startSandbox({ loadDelayMs: 10 });
  ctx = { ...fakeContext(path.join(ROOT, 'runbooks'), { KUBECONFIG: sandbox.kubeconfigPath }), connectTo: await kubeconfigConnectTo(sandbox.kubeconfigPath) };
});
afterAll(async () => {
  await closeCache(ctx.cache);
  await sandbox.stop();
});

async function seldon(command: string) {
  const typed = classifyCommand(command);
  if (typed.kind !== 'seldon') throw new Error(`not a seldon step: ${JSON.stringify(typed)}`);
  return runSeldon(withVars.seldon(typed.args, ctx.vars), { ...ctx, deadline: Date.now() + 30_000 });
}

describe('seldon step against the sandbox', () => {
  it('loads a model, waits for it, and infers', async () => {
    expect(await seldon('seldon model load -f config/pipelines/models/tfsimple1.yaml')).toMatchObject({ stdout: '{}\n', stderr: '', exitCode: 0 });
    expect(await seldon('seldon model status tfsimple1 -w ModelAvailable')).toMatchObject({ stdout: '{}\n', exitCode: 0 });
    const out = await seldon(`seldon model infer tfsimple1 '{"inputs":[{"name":"INPUT0","data":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16],"datatype":"INT32","shape":[1,16]},{"name":"INPUT1","data":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16],"datatype":"INT32","shape":[1,16]}]}'`);
    console.log(out);
    expect(out.exitCode).toBe(0);
  });
});
