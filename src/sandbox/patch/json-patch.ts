/**
 * JSON patch (RFC 6902) over plain JSON values, with JSON pointers (RFC 6901).
 */
import { deepEqual } from '../../core/json.js';

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

export class JsonPatchError extends Error {}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

/** The parent container of a pointer and the last token, for in-place edits of an already cloned document. */
function locate(doc: { root: unknown }, pointer: string): { parent: Container; token: string } {
  const tokens = parsePointer(pointer);
  let parent: unknown = doc;
  let token = 'root';
  for (const next of tokens) {
    parent = (parent as Record<string, unknown>)[token];
    token = next;
    if (typeof parent !== 'object' || parent === null) throw new JsonPatchError(`path "${pointer}" does not exist`);
  }
  return { parent: parent as Container, token };
}

function read(doc: { root: unknown }, pointer: string): unknown {
  const { parent, token } = locate(doc, pointer);
  if (Array.isArray(parent)) {
    const i = Number(token);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw new JsonPatchError(`path "${pointer}" does not exist`);
    return parent[i];
  }
  if (!(token in parent)) throw new JsonPatchError(`path "${pointer}" does not exist`);
  return parent[token];
}

function add(doc: { root: unknown }, pointer: string, value: unknown): void {
  const { parent, token } = locate(doc, pointer);
  if (Array.isArray(parent)) {
    const i = token === '-' ? parent.length : Number(token);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new JsonPatchError(`index out of range at "${pointer}"`);
    parent.splice(i, 0, value);
  } else {
    parent[token] = value;
  }
}

function remove(doc: { root: unknown }, pointer: string): unknown {
  const value = read(doc, pointer);
  const { parent, token } = locate(doc, pointer);
  if (Array.isArray(parent)) parent.splice(Number(token), 1);
  else delete parent[token];
  return value;
}

export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new JsonPatchError('a JSON patch must be an array of operations');
  const doc = { root: structuredClone(target) };
  for (const op of operations as JsonPatchOperation[]) {
    switch (op.op) {
      case 'add':
        add(doc, op.path, structuredClone(op.value));
        break;
      case 'remove':
        remove(doc, op.path);
        break;
      case 'replace':
        remove(doc, op.path);
        add(doc, op.path, structuredClone(op.value));
        break;
      case 'move':
        add(doc, op.path, remove(doc, op.from ?? ''));
        break;
      case 'copy':
        add(doc, op.path, structuredClone(read(doc, op.from ?? '')));
        break;
      case 'test':
        // RFC 6902 compares values, not their text: objects are equal whatever their key order.
        if (!deepEqual(read(doc, op.path), op.value)) {
          throw new JsonPatchError(`test operation failed at "${op.path}"`);
        }
        break;
      default:
        throw new JsonPatchError(`unknown operation ${JSON.stringify((op as { op?: unknown }).op)}`);
    }
  }
  return doc.root;
}
