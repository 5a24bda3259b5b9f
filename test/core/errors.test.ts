import { describe, expect, it } from 'vitest';
import { excerpt } from '../../src/core/errors.js';

describe('excerpt', () => {
  it('never cuts a character in half when it shortens a quote', () => {
    for (let pad = 0; pad < 4; pad++) {
      const quoted = excerpt(`${'n'.repeat(pad)}${'\u{10000}'.repeat(30)}`, 20);
      expect(quoted.endsWith('…')).toBe(true);
      expect(quoted).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      expect(quoted.length).toBeLessThanOrEqual(20);
      expect(quoted.length).toBeGreaterThanOrEqual(19);
    }
  });
});
