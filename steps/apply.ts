/**
 * The apply step: `kubectl apply -f/-k` natively, printing `<kind>.<group>/<name> <op>` per object in input order,
 * reporting API errors as kubectl does at the end and going on with the remaining objects.
 */
import { kubeTarget } from '../src/kube/access.js';
import { applyOne } from '../src/kube/apply-object.js';
import { kindSlashName } from '../src/kube/discovery.js';
import { formatErrors } from '../src/kube/errors.js';
import { resolveInfos } from '../src/kube/infos.js';
import { loadManifests } from '../src/kube/manifests.js';
import { OutputCollector } from './output.js';
import { withVars } from './substitute.js';
import type { StepRunner, TouchedObject } from '../src/core/step.js';

export const apply: StepRunner<'apply'> = {
  async run(rawArgs, ctx) {
    const args = withVars.apply(rawArgs, ctx.vars);
    const output = new OutputCollector(ctx);
    const out = (s: string) => output.out(s);
    const err = (s: string) => output.err(s);
    const loaded = await loadManifests(args.source, ctx);
    if (loaded.stderr) err(loaded.stderr);
    const errors: unknown[] = [...loaded.errors];
    const objects: TouchedObject[] = [];
    if (loaded.manifests.length > 0) {
      const target = await kubeTarget(args, ctx);
      const dryRunSuffix = args.dryRun === 'client' ? ' (dry run)' : args.dryRun === 'server' ? ' (server dry run)' : '';
      for (const resolved of await resolveInfos(loaded.manifests, target, ctx.cache)) {
        if ('error' in resolved) {
          errors.push(resolved.error);
          continue;
        }
        const { info } = resolved;
        const touched: TouchedObject = {
          apiVersion: info.object.apiVersion,
          kind: info.object.kind,
          ...(info.namespace ? { namespace: info.namespace } : {}),
          name: info.name,
          outcome: 'error',
          manifest: info.object,
        };
        objects.push(touched);
        try {
          // A create cut short by an interrupt may still land: 'created' keeps it on the cleanup list.
          const onCreating = () => void (touched.outcome = 'created');
          touched.outcome = await applyOne(target.client, info, { ...args, signal: ctx.signal, warn: err, onCreating });
          out(`${kindSlashName(info.mapping, info.name)} ${touched.outcome}${dryRunSuffix}\n`);
        } catch (error) {
          // Interrupted: stop here, but return what was touched so far so the runner can clean it up.
          if (ctx.signal.aborted) break;
          touched.outcome = 'error';
          errors.push(error);
        }
      }
    } else if (errors.length === 0) {
      errors.push(new Error('error: no objects passed to apply'));
    }
    if (errors.length > 0) err(formatErrors(errors));
    return { stdout: output.stdout, stderr: output.stderr, exitCode: errors.length > 0 ? 1 : 0, data: { type: 'objects', objects } };
  },
};
