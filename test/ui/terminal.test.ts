import { describe, expect, it } from 'vitest';
import { decideColor, decideColumns, decideInteractive, detectCI } from '../../src/ui/terminal.js';

describe('terminal decisions', () => {
  it('colours only on a TTY, NO_COLOR disables, FORCE_COLOR enables unless 0', () => {
    expect(decideColor({ isTTY: true, env: {} })).toBe(true);
    expect(decideColor({ isTTY: false, env: {} })).toBe(false);
    expect(decideColor({ isTTY: true, env: { TERM: 'dumb' } })).toBe(false);
    expect(decideColor({ isTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(decideColor({ isTTY: true, env: { NO_COLOR: '' } })).toBe(true);
    expect(decideColor({ isTTY: false, env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(decideColor({ isTTY: false, env: { FORCE_COLOR: '' } })).toBe(true);
    expect(decideColor({ isTTY: true, env: { FORCE_COLOR: '0' } })).toBe(false);
    expect(decideColor({ isTTY: true, env: { FORCE_COLOR: 'false' } })).toBe(false);
    expect(decideColor({ isTTY: false, env: { FORCE_COLOR: '2', NO_COLOR: '1' } })).toBe(true);
  });

  it('detects CI and is interactive only on a TTY outside it', () => {
    expect(detectCI({ CI: 'true' })).toBe(true);
    expect(detectCI({ CI: 'false' })).toBe(false);
    expect(detectCI({ CI: '0' })).toBe(false);
    expect(detectCI({ GITHUB_ACTIONS: 'true' })).toBe(true);
    expect(detectCI({})).toBe(false);
    expect(decideInteractive({ isTTY: true, isCI: false })).toBe(true);
    expect(decideInteractive({ isTTY: true, isCI: true })).toBe(false);
    expect(decideInteractive({ isTTY: false, isCI: false })).toBe(false);
  });

  it('lays out for the terminal width, or 80 off a terminal', () => {
    expect(decideColumns({ isTTY: true, columns: 132 })).toBe(132);
    expect(decideColumns({ isTTY: false, columns: 132 })).toBe(80);
    expect(decideColumns({ isTTY: true, columns: 0 })).toBe(80);
  });
});
