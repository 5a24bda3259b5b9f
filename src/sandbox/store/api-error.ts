/**
 * Failures of the sandbox API, raised by the store and the handlers, answered as Kubernetes `Status` objects.
 */
import type { ResourceType } from './resource-types.js';
import { qualifiedResource } from './resource-types.js';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'Expired'
  | 'TooManyRequests'
  | 'InternalError';

const CODES: Record<StatusReason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 422,
  MethodNotAllowed: 405,
  UnsupportedMediaType: 415,
  Expired: 410,
  TooManyRequests: 429,
  InternalError: 500,
};

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason: string; message: string; field: string }[];
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  readonly code: number;
  constructor(
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.code = CODES[reason];
  }

  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

function detailsOf(type: ResourceType, name: string): StatusDetails {
  return { name, group: type.group, kind: type.plural };
}

/** `models.mlops.seldon.io "iris" not found`, the form kubectl prints after `Error from server (NotFound):`. */
export function notFound(type: ResourceType, name: string): ApiError {
  return new ApiError('NotFound', `${qualifiedResource(type)} "${name}" not found`, detailsOf(type, name));
}

export function alreadyExists(type: ResourceType, name: string): ApiError {
  return new ApiError('AlreadyExists', `${qualifiedResource(type)} "${name}" already exists`, detailsOf(type, name));
}

export function conflict(type: ResourceType, name: string): ApiError {
  return new ApiError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    detailsOf(type, name),
  );
}

export function invalid(type: ResourceType, name: string, field: string, message: string): ApiError {
  return new ApiError('Invalid', `${type.kind}${type.group ? `.${type.group}` : ''} "${name}" is invalid: ${field}: ${message}`, {
    ...detailsOf(type, name),
    kind: type.kind,
    causes: [{ reason: 'FieldValueInvalid', message, field }],
  });
}
