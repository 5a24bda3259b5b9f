import { describe, expect, it } from 'vitest';
import { env } from '../../steps/env.js';
import { stepContext } from './context.js';

const context = () => stepContext();

describe('env step', () => {
  it('prints what IPython prints and sets the variable for later steps', async () => {
    const out = await env.run({ name: 'MESH_IP', value: '10.0.0.7' }, context());
    expect(out).toEqual({ stdout: 'env: MESH_IP=10.0.0.7\n', stderr: '', exitCode: 0, vars: { MESH_IP: '10.0.0.7' } });
  });

  it('refuses a name with whitespace, as IPython does', async () => {
    const out = await env.run({ name: 'A B', value: 'x' }, context());
    expect(out.exitCode).toBe(1);
    expect(out.vars).toBeUndefined();
  });
});
