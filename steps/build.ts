/**
 * The build step: `kustomize build DIR` (or `kubectl kustomize DIR` when kustomize is not installed), printing
 * exactly what the tool printed. The result is cached for the run by directory content, so apply and delete of
 * the same folder reuse it.
 */
import { buildManifests } from '../src/kube/kustomize.js';
import type { StepRunner } from '../src/core/step.js';
import { withVars } from './substitute.js';

export { buildManifests } from '../src/kube/kustomize.js';

export const build: StepRunner<'build'> = {
  async run(rawArgs, ctx) {
    const args = withVars.build(rawArgs, ctx.vars);
    const result = await buildManifests(args.dir, ctx);
    if (result.stdout) ctx.write('stdout', result.stdout);
    if (result.stderr) ctx.write('stderr', result.stderr);
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
  },
};
