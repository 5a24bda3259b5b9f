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
