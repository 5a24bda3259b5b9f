/**
 * The schema table of the built-in kinds: named definitions as the API server's OpenAPI documents name them
 * (`io.k8s.api.apps.v1.Deployment`), each kind found by its group, version and kind.
 */
import type { Schema } from '../store/schema.js';
import { APIEXTENSIONS_DEFINITIONS, CRD_DEFS } from './apiextensions-v1.js';
import { APPS_DEFINITIONS } from './apps-v1.js';
import { CORE_DEFINITIONS } from './core-v1.js';
import { APPS, CORE, refTo } from './dsl.js';
import { META_DEFINITIONS } from './meta-v1.js';
import { DISCOVERY, POLICY_ENDPOINT_DEFINITIONS } from './policy-endpoints.js';

export const DEFINITIONS: Readonly<Record<string, Schema>> = {
  ...META_DEFINITIONS,
  ...CORE_DEFINITIONS,
  ...APPS_DEFINITIONS,
  ...APIEXTENSIONS_DEFINITIONS,
  ...POLICY_ENDPOINT_DEFINITIONS,
};

const PREFIXES: Record<string, string> = { '': CORE, apps: APPS, 'apiextensions.k8s.io': CRD_DEFS, 'discovery.k8s.io': DISCOVERY };

/** The definition name of a built-in kind, or undefined when the table has none. */
export function definitionName(group: string, version: string, kind: string): string | undefined {
  const prefix = PREFIXES[group];
  if (!prefix || !prefix.endsWith(`.${version}.`)) return undefined;
  return DEFINITIONS[`${prefix}${kind}`] ? `${prefix}${kind}` : undefined;
}

/** A built-in kind's schema: a reference into the table, as a kind's root (undefined when the table has none). */
export function builtinSchema(group: string, version: string, kind: string): Schema | undefined {
  const name = definitionName(group, version, kind);
  return name ? refTo(name) : undefined;
}

/** The name a `$ref` points at (`#/components/schemas/<name>` or `#/definitions/<name>`). */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** The definition a schema refers to, directly or through a lone `allOf`, or undefined for an inline schema. */
export function referenced(schema: Schema): string | undefined {
  if (schema.$ref) return refName(schema.$ref);
  const only = schema.allOf?.length === 1 ? schema.allOf[0] : undefined;
  return only?.$ref ? refName(only.$ref) : undefined;
}

/**
 * A schema with its reference followed: the definition's fields, with the referring property's description and
 * default on top (as OpenAPI's `allOf` wrappers mean it).
 */
export function resolve(schema: Schema): Schema {
  const name = referenced(schema);
  if (!name) return schema;
  const target = DEFINITIONS[name];
  if (!target) return schema;
  const { $ref: _r, allOf: _a, ...own } = schema;
  return { ...target, ...own };
}

/** Every definition `names` refer to, transitively, themselves included. */
export function closure(names: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const visit = (schema: Schema | boolean | undefined): void => {
    if (!schema || schema === true) return;
    const name = referenced(schema);
    if (name && !seen.has(name) && DEFINITIONS[name]) {
      seen.add(name);
      visit(DEFINITIONS[name]);
    }
    for (const child of Object.values(schema.properties ?? {})) visit(child);
    visit(schema.items);
    visit(schema.additionalProperties);
    for (const part of schema.allOf ?? []) visit(part);
  };
  for (const name of names) visit({ $ref: `#/components/schemas/${name}` });
  return seen;
}
