/**
 * `kubectl get TYPE [NAME] -o jsonpath=…` evaluated natively: one GET (or a LIST shaped like kubectl's `List`),
 * then the template; the value has no trailing newline, as kubectl prints it.
 */
import type { KubeGetArgs } from '../core/model.js';
import { kubeTarget, type KubeContext } from './access.js';
import { collectionPath, objectPath } from './discovery.js';
import { formatErrors } from './errors.js';
import { executeJsonPath, parseJsonPath } from '../core/jsonpath.js';
import { resolveMapping } from './select.js';

export interface GetResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** `args` are plain values: the capture step has substituted its variables. */
export async function kubectlGetJsonPath(args: KubeGetArgs, ctx: KubeContext): Promise<GetResult> {
  const template = args.jsonpath;
  try {
    let nodes;
    try {
      nodes = parseJsonPath(template);
    } catch (error) {
      throw new Error(`error: error parsing jsonpath ${template}, ${(error as Error).message}`);
    }
    const target = await kubeTarget(args, ctx);
    const mapping = await resolveMapping(target, ctx.cache, args.resource);
    const namespace = mapping.namespaced && !args.allNamespaces ? target.namespace : '';
    let data: unknown;
    if (args.name !== undefined) {
      data = await target.client.requestOk('GET', objectPath(mapping, namespace, args.name), { signal: ctx.signal });
    } else {
      const list = (await target.client.requestOk('GET', collectionPath(mapping, namespace), {
        query: { labelSelector: args.selector, limit: 500 },
        signal: ctx.signal,
      })) as { items?: Record<string, unknown>[] };
      const apiVersion = mapping.group ? `${mapping.group}/${mapping.version}` : mapping.version;
      // kubectl decodes list items with their kind and apiVersion filled in, and hands the printer a v1 List.
      const items = (list.items ?? []).map((item) => ({ apiVersion, kind: mapping.kind, ...item }));
      data = { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
    }
    try {
      return { stdout: executeJsonPath(nodes, data), stderr: '', exitCode: 0 };
    } catch (error) {
      // kubectl then dumps the object as Go's %#v; we show it as JSON, the rest is kubectl's text.
      throw new Error(
        `error: error executing jsonpath ${JSON.stringify(template)}: Error executing template: ${(error as Error).message}. ` +
          `Printing more information for debugging the template:\n\ttemplate was:\n\t\t${template}\n\tobject given to jsonpath engine was:\n\t\t${JSON.stringify(data)}\n\n`,
      );
    }
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return { stdout: '', stderr: formatErrors([error]), exitCode: 1 };
  }
}
