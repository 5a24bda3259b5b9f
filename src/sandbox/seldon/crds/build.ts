/**
 * Builders for the Seldon CRDs' structural schemas and for the CRD objects themselves, so each kind's file reads
 * as a table of its fields. The schemas follow Seldon's CRDs (operator/config/crd/bases/mlops.seldon.io_*.yaml):
 * the same fields, types, enums and required lists; deep Kubernetes types they embed (pod specs, rollout
 * strategies) keep their fields unchecked.
 */
import type { KubeObject } from '../../types.js';
import type { PrinterColumn } from '../../store/resource-types.js';
import type { Schema } from '../../store/schema.js';

export const SELDON_GROUP = 'mlops.seldon.io';
export const SELDON_VERSION = 'v1alpha1';

export const str = (description: string, extra: Partial<Schema> = {}): Schema => ({ type: 'string', description, ...extra });
export const int32 = (description: string): Schema => ({ type: 'integer', format: 'int32', description });
export const int64 = (description: string): Schema => ({ type: 'integer', format: 'int64', description });
export const bool = (description: string): Schema => ({ type: 'boolean', description });
export const strings = (description: string): Schema => ({ type: 'array', description, items: { type: 'string' } });
export const stringMap = (description: string): Schema => ({ type: 'object', description, additionalProperties: { type: 'string' } });
export const quantity = (description: string): Schema => ({
  description,
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
  'x-kubernetes-int-or-string': true,
});
/** A Kubernetes type embedded whole (a PodSpec, say): kept as written. */
export const opaque = (description: string): Schema => ({ type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true });
export const object = (description: string, properties: Record<string, Schema>, required?: string[]): Schema => ({
  type: 'object',
  description,
  properties,
  ...(required ? { required } : {}),
});
export const array = (description: string, items: Schema): Schema => ({ type: 'array', description, items });
export const joinType = (description: string, withDefault: boolean): Schema => ({
  type: 'string',
  description,
  enum: ['inner', 'outer', 'any'],
  ...(withDefault ? { default: 'inner' } : {}),
});

/** The status every Seldon kind shares: Knative-style conditions, the observed generation, annotations. */
export function statusSchema(description: string, extra: Record<string, Schema> = {}): Schema {
  return object(description, {
    annotations: stringMap('Extra status fields the controller records.'),
    conditions: array(
      'What the controller last observed, one entry per condition type.',
      object(
        'A readiness condition.',
        {
          lastTransitionTime: str('When the condition last changed status.'),
          message: str('Human-readable detail of the last transition.'),
          reason: str('Why the condition last changed.'),
          severity: str('How serious a failure of this condition is (Error when unset).'),
          status: str('True, False or Unknown.'),
          type: str('The condition type.'),
        },
        ['status', 'type'],
      ),
    ),
    observedGeneration: int64('The generation the controller last processed.'),
    ...extra,
  });
}

export interface CrdInput {
  kind: string;
  plural: string;
  shortNames: string[];
  description: string;
  spec: Schema;
  status: Schema;
  columns: PrinterColumn[];
  scale?: boolean;
}

/** A CustomResourceDefinition of group mlops.seldon.io, version v1alpha1, with a status subresource. */
export function seldonCrd(input: CrdInput): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${input.plural}.${SELDON_GROUP}`, annotations: { 'controller-gen.kubebuilder.io/version': 'v0.16.4' } },
    spec: {
      group: SELDON_GROUP,
      names: { kind: input.kind, listKind: `${input.kind}List`, plural: input.plural, shortNames: input.shortNames, singular: input.kind.toLowerCase() },
      scope: 'Namespaced',
      versions: [
        {
          name: SELDON_VERSION,
          served: true,
          storage: true,
          additionalPrinterColumns: [...input.columns, { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: input.description,
              properties: {
                apiVersion: str('The versioned schema of this representation of an object.'),
                kind: str('The REST resource this object represents.'),
                metadata: { type: 'object' },
                spec: input.spec,
                status: input.status,
              },
            },
          },
          subresources: {
            status: {},
            ...(input.scale ? { scale: { labelSelectorPath: '.status.selector', specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } } : {}),
          },
        },
      ],
    },
  };
}

/** The printer column of one condition's status (or message). */
export function conditionColumn(name: string, type: string, field: 'status' | 'message', description: string, priority = 0): PrinterColumn {
  return { name, type: 'string', description, jsonPath: `.status.conditions[?(@.type=="${type}")].${field}`, ...(priority ? { priority } : {}) };
}
