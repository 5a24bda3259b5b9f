import { describe, expect, test } from 'vitest';
import { ApiError } from '../../src/core/api-status.js';
import { apiErrorFrom, formatErrors, withSource } from '../../src/kube/errors.js';
import { invalid, notFound } from '../../src/sandbox/store/api-error.js';
import { BUILTIN_TYPES } from '../../src/sandbox/store/resource-types.js';

const services = BUILTIN_TYPES.find((t) => t.kind === 'Service')!;

/** What the client makes of an error the sandbox raised, after the Status has crossed the wire as JSON. */
function overTheWire(error: ApiError): ApiError {
  return apiErrorFrom(error.code, JSON.stringify(error.toStatus()));
}

describe('API errors between the sandbox and the client', () => {
  test('a Status the server wrote reads back as the same error, and kubectl prints it', () => {
    const sent = notFound(services, 'web');
    const read = overTheWire(sent);
    expect(read).toBeInstanceOf(ApiError);
    expect(read.status).toEqual(sent.toStatus());
    expect(formatErrors([read])).toBe('Error from server (NotFound): services "web" not found\n');
  });

  test('Invalid prints its causes the way kubectl does', () => {
    const read = overTheWire(invalid(services, 'web', 'spec.ports', 'Required value'));
    expect(read.reason).toBe('Invalid');
    expect(formatErrors([read])).toBe('The Service "web" is invalid: spec.ports: Required value\n');
  });

  test('withSource says what kubectl was doing and keeps the reason and code; an empty source leaves the error alone', () => {
    const read = overTheWire(ApiError.of('Conflict', 'the object has been modified'));
    const sourced = withSource(read, 'creating', 'STDIN');
    expect(sourced.message).toBe('error when creating "STDIN": the object has been modified');
    expect([sourced.code, sourced.reason]).toEqual([409, 'Conflict']);
    expect(formatErrors([sourced])).toBe('Error from server (Conflict): error when creating "STDIN": the object has been modified\n');
    expect(withSource(read, 'creating', '')).toBe(read);
  });

  test('an error answer without a Status gets kubectl\'s canned message for its code', () => {
    const read = apiErrorFrom(503, '<html>busy</html>');
    expect([read.code, read.reason, read.message]).toEqual([503, 'ServiceUnavailable', 'the server is currently unable to handle the request']);
  });
});
