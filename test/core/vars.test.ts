import { describe, expect, test } from 'vitest';
import { substitute } from '../../src/core/vars.js';

describe('substitute', () => {
  test('replaces ${VAR} and $VAR, unknown as empty, leaves other dollars', () => {
    expect(substitute('http://${IP}:$PORT/x?$ $1 ${MISSING}.', { IP: '1.2.3.4', PORT: '80' })).toBe('http://1.2.3.4:80/x?$ $1 .');
  });
});
