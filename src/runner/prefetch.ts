/**
 * Starts the runbook's kustomize builds at once, in the background, so they overlap with the first steps
 * instead of each costing a process start when its step comes. Builds are local and read-only; the build cache
 * is keyed by folder content, so a folder a later step edits is simply built again.
 */
import type { ManifestSource, Step } from '../core/model.js';

function buildDir(step: Step): string | undefined {
  const source = (s: ManifestSource | undefined) => (s && (s.type === 'build' || s.type === 'kustomize') ? s.dir : undefined);
  switch (step.kind) {
    case 'build':
      return step.args.dir;
    case 'apply':
      return source(step.args.source);
    case 'delete':
      return step.args.target.type === 'manifests' ? source(step.args.target.source) : undefined;
    case 'wait':
    case 'curl':
    case 'grpcurl':
    case 'capture':
    case 'shell':
    case 'python':
    case 'writefile':
    case 'env':
    case 'seldon':
      return undefined;
  }
}

export function prefetchBuilds(steps: readonly Step[], ctx: { cwd: string; signal: AbortSignal; cache: Map<string, unknown> }): void {
  // Folders named through variables are only known when their step runs.
  const dirs = new Set(steps.map(buildDir).filter((d): d is string => d !== undefined && !d.includes('$')));
  if (dirs.size === 0) return;
  // Only a head start: whatever fails here fails again, reported, when the step itself builds.
  import('../kube/kustomize.js')
    .then(({ buildManifests }) => {
      for (const dir of dirs) buildManifests(dir, ctx).catch(() => undefined);
    })
    .catch(() => undefined);
}
