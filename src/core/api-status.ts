/**
 * The Kubernetes `Status` object (metav1.Status) that an API server answers every error with, and the one error
 * class both sides use: the sandbox's API server raises it and writes `toStatus()`, the REST client reads it back
 * from an answer and kubectl-style messages are formatted from it.
 */

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'Expired'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout';

/** The HTTP code Kubernetes answers each reason with (apimachinery's `errors.go`). */
export const STATUS_CODES: Readonly<Record<StatusReason, number>> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Invalid: 422,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  UnsupportedMediaType: 415,
  Expired: 410,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
};

export interface StatusCause {
  field?: string;
  message?: string;
  reason?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
}

/** A `Status` as it travels; every field optional because clients must read what any server sent. */
export interface ApiStatus {
  kind?: string;
  apiVersion?: string;
  metadata?: Record<string, never>;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: StatusDetails;
}

/** An error answer from an API server (any status >= 400). */
export class ApiError extends Error {
  constructor(readonly status: ApiStatus) {
    super(status.message ?? `HTTP ${status.code ?? '?'}`);
    this.name = 'ApiError';
  }

  /** The error a server raises: the reason's code, its message, and details when the failure is about an object. */
  static of(reason: StatusReason, message: string, details?: StatusDetails): ApiError {
    return new ApiError({ status: 'Failure', message, reason, ...(details ? { details } : {}), code: STATUS_CODES[reason] });
  }

  get code(): number {
    return this.status.code ?? 0;
  }

  get reason(): string {
    return this.status.reason ?? '';
  }

  get details(): StatusDetails | undefined {
    return this.status.details;
  }

  /** The object a server writes, fields in the order the Kubernetes API server writes them. */
  toStatus(): ApiStatus {
    const { message, reason, details, code } = this.status;
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
  }
}
