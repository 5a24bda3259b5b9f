/**
 * The failures about one object that the store and the handlers raise, as core `ApiError`s with the messages and
 * details the Kubernetes API server gives them; the server answers each with its `Status`.
 */
import { ApiError, type StatusDetails } from '../../core/api-status.js';
import type { ResourceType } from './resource-types.js';
import { qualifiedResource } from './resource-types.js';

function detailsOf(type: ResourceType, name: string): StatusDetails {
  return { name, group: type.group, kind: type.plural };
}

/** `models.mlops.seldon.io "iris" not found`, the form kubectl prints after `Error from server (NotFound):`. */
export function notFound(type: ResourceType, name: string): ApiError {
  return ApiError.of('NotFound', `${qualifiedResource(type)} "${name}" not found`, detailsOf(type, name));
}

export function alreadyExists(type: ResourceType, name: string): ApiError {
  return ApiError.of('AlreadyExists', `${qualifiedResource(type)} "${name}" already exists`, detailsOf(type, name));
}

export function conflict(type: ResourceType, name: string): ApiError {
  return ApiError.of(
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    detailsOf(type, name),
  );
}

export function invalid(type: ResourceType, name: string, field: string, message: string): ApiError {
  return ApiError.of('Invalid', `${type.kind}${type.group ? `.${type.group}` : ''} "${name}" is invalid: ${field}: ${message}`, {
    ...detailsOf(type, name),
    kind: type.kind,
    causes: [{ reason: 'FieldValueInvalid', message, field }],
  });
}

/** Several field errors at once: `… is invalid: [a: …, b: …]`, one alone without brackets, as the API server says. */
export function invalidFields(type: ResourceType, name: string, errors: { field: string; detail: string; reason: string }[]): ApiError {
  const list = errors.map((e) => `${e.field}: ${e.detail}`);
  const text = list.length === 1 ? list[0]! : `[${list.join(', ')}]`;
  return ApiError.of('Invalid', `${type.kind}${type.group ? `.${type.group}` : ''} "${name}" is invalid: ${text}`, {
    ...detailsOf(type, name),
    kind: type.kind,
    causes: errors.map((e) => ({ reason: e.reason, message: e.detail, field: e.field })),
  });
}

/** What `fieldValidation=Strict` answers for fields the schema does not know (kubectl 1.32 asks for it by default). */
export function strictDecoding(type: ResourceType, version: string, unknown: string[]): ApiError {
  const fields = unknown.map((f) => `unknown field "${f}"`).join(', ');
  return ApiError.of('BadRequest', `${type.kind} in version "${version}" cannot be handled as a ${type.kind}: strict decoding error: ${fields}`);
}

/** `namespaces "kube-system" is forbidden: this namespace may not be deleted`: an admission plugin said no. */
export function forbidden(type: ResourceType, name: string, reason: string, cause?: { reason: string; message: string; field: string }): ApiError {
  return ApiError.of('Forbidden', `${qualifiedResource(type)} "${name}" is forbidden: ${reason}`, {
    ...detailsOf(type, name),
    ...(cause ? { causes: [cause] } : {}),
  });
}
