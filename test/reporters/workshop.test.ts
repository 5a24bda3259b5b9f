/* eslint-disable no-control-regex -- terminal escapes are what these tests look for */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { fanOut, redactingGate } from '../../src/runner/fanout.js';
import { createWorkshopGate } from '../../src/reporters/workshop.js';
import stringWidth from 'string-width';
import { stripAnsi } from '../../src/ui/text.js';
import { FILE, failedWait, istioSteps, makeStep, passed, plan, target } from './fixtures.js';

class FakeStdin extends EventEmitter {
  isTTY = true;
  isRaw = false;
  modes: boolean[] = [];
  flowing = false;
  setRawMode(raw: boolean) {
    this.isRaw = raw;
    this.modes.push(raw);
    return this;
  }
  resume() {
    this.flowing = true;
    return this;
  }
  pause() {
    this.flowing = false;
    return this;
  }
  /** A key press, delivered only while someone listens (as a paused TTY would hold it). */
  press(key: string) {
    expect(this.listenerCount('data')).toBe(1);
    this.emit('data', Buffer.from(key));
  }
}

const gates: { close(): void }[] = [];
afterEach(() => {
  for (const g of gates.splice(0)) g.close();
});

const tick = () => new Promise((resolve) => setImmediate(resolve));

function setup(color = false, secrets: string[] = [], columns = 80) {
  const stdin = new FakeStdin();
  let out = '';
  const stdout = { isTTY: true, write: (t: string) => (out += t) };
  // Stands for the command's SIGINT handler: the run's abort.
  const interrupts: string[] = [];
  const interrupt = async () => void interrupts.push('SIGINT');
  const workshop = createWorkshopGate({ stdin, stdout, color, columns, now: () => 0, interrupt });
  gates.push(workshop);
  // As the runner hands them over: the gate's steps and reports and its reporter's events redacted.
  const gate = { ...redactingGate(workshop, secrets), reporter: fanOut([workshop.reporter], secrets) };
  return { gate, stdin, interrupts, out: () => out, reset: () => (out = '') };
}

const prose = [
  '### Istio Single Model Example',
  '',
  'Assumes:',
  '',
  ' * You have installed istio, see [their docs](https://istio.io)',
  ' * Run `kubectl apply` **first**',
  '',
  '<!-- runbook: timeout=60s -->',
].join('\n');

const step = makeStep(2, 'apply', 'kustomize build config/single-model | kubectl apply -f -', {
  prose,
  expected: { text: 'model.mlops.seldon.io/iris created\ngateway.networking.istio.io/seldon-gateway created', location: { format: 'markdown', startLine: 1, endLine: 2, style: 'indented', indent: '    ' } },
});

describe('workshop gate', () => {
  it('before a step shows the prose rendered for a terminal, the command and the recorded output, then runs on Enter', async () => {
    const { gate, stdin, out } = setup();
    const decision = gate.before(FILE, step);
    stdin.press('x'); // not a key here: ignored
    stdin.press('\r');
    expect(await decision).toBe('run');
    const text = out();
    expect(text).toContain('Istio Single Model Example\n--------------------------\n\nAssumes:\n\n  • You have installed istio, see their docs\n  • Run `kubectl apply` first\n');
    expect(text).not.toContain('runbook: timeout');
    expect(text).not.toContain('https://istio.io');
    expect(text).toContain('── [2] apply · runbooks/istio.md:34 ──');
    expect(text).not.toMatch(/\d+\/\d+ · \[2\]/); // no position without the runbook's plan
    expect(text).toContain('$ kustomize build config/single-model | kubectl apply -f -\n');
    expect(text).toContain('recorded output:\n  model.mlops.seldon.io/iris created\n  gateway.networking.istio.io/seldon-gateway created\n');
    // Raw mode only while the key is awaited, then back as it was.
    expect(stdin.modes).toEqual([true, false]);
    expect(stdin.isRaw).toBe(false);
    expect(stdin.flowing).toBe(false);
    // The prompt is the only thing erased; nothing else moves the cursor.
    expect(text.match(/\r\x1b\[2K/g)).toHaveLength(1);
    expect(text.replace('\r\x1b[2K', '')).not.toMatch(/\r|\x1b\[\d*[ABCDJKH]/);
  });

  it('skips on s and quits on q or Ctrl-C or closed input; only Ctrl-C interrupts the run', async () => {
    for (const [key, expected, interrupted] of [
      ['s', 'skip', 0],
      ['q', 'quit', 0],
      ['\x03', 'quit', 1],
    ] as const) {
      const { gate, stdin, interrupts } = setup();
      const decision = gate.before(FILE, istioSteps[0]!);
      stdin.press(key);
      expect(await decision).toBe(expected);
      // Ctrl-C in raw mode sends no SIGINT: the gate raises the run's interrupt itself, so the run exits 130.
      expect(interrupts).toHaveLength(interrupted);
    }
    {
      const { gate, stdin, interrupts, out } = setup();
      const next = gate.after(FILE, istioSteps[1]!, passed(istioSteps[1]!));
      stdin.press('\x03');
      expect(await next).toBe('quit');
      expect(interrupts).toEqual(['SIGINT']);
      expect(out()).toContain('interrupted (cleaning up what this run created)');
    }
    const { gate, stdin } = setup();
    const decision = gate.before(FILE, istioSteps[0]!);
    stdin.emit('end');
    expect(await decision).toBe('quit');
  });

  it('after a step shows the actual output and a large verdict; e toggles recorded and actual; r re-runs; Enter goes on', async () => {
    const { gate, stdin, out, reset } = setup();
    const wait = istioSteps[3]!;
    const next = gate.after(FILE, wait, failedWait(wait));
    const shown = out();
    expect(shown).toContain('output:\n  error: timed out waiting for the condition on models/iris\n');
    expect(shown).toContain(['#'.repeat(40), '   ✘  FAILED   [3] wait · 30s' + ' '.repeat(40 - 29), '#'.repeat(40)].join('\n'));
    expect(shown).toContain('diff (- recorded, + actual):\n  - model.mlops.seldon.io/iris condition met\n  + error: timed out');
    expect(shown).toContain('diagnostics:\n  Model/iris ModelReady=False');
    expect(shown).toContain('e show recorded');
    reset();
    stdin.press('e');
    await tick();
    expect(out()).toContain('recorded output:\n  model.mlops.seldon.io/iris condition met\n');
    expect(out()).toContain('e show actual');
    reset();
    stdin.press('e');
    await tick();
    expect(out()).toContain('output:\n  error: timed out waiting');
    stdin.press('r');
    expect(await next).toBe('rerun');

    const again = gate.after(FILE, wait, passed(wait, { actual: 'model.mlops.seldon.io/iris condition met', durationMs: 1500 }));
    expect(out()).toContain('   ✔  PASSED   [3] wait · 1.5s');
    stdin.press('\n');
    expect(await again).toBe('next');
  });

  it('paints the verdict as a coloured block when colour is on', async () => {
    const { gate, stdin, out } = setup(true);
    const next = gate.after(FILE, istioSteps[1]!, passed(istioSteps[1]!));
    stdin.press('q');
    expect(await next).toBe('quit');
    expect(out()).toContain('\x1b[42m\x1b[1;30m   ✔  PASSED   [1] build · 121ms');
    expect(stripAnsi(out())).toContain('✔  PASSED');
  });

  it('its reporter prints the runbook, progress once per change, skips, cleanup and the summary; secrets redacted', () => {
    const { gate, out } = setup(false, ['hunter22']);
    const r = gate.reporter;
    r.onRunbookStart?.(plan, target);
    r.onStepStart?.(FILE, istioSteps[3]!, 2, 90_000);
    r.onStepProgress?.(FILE, 3, 'model/iris not ready');
    r.onStepProgress?.(FILE, 3, 'model/iris not ready');
    r.onStepProgress?.(FILE, 3, 'password hunter22');
    r.onStepEnd?.(FILE, istioSteps[4]!, { ...passed(istioSteps[4]!), status: 'skipped', skipReason: 'skipped by presenter' });
    r.onStepEnd?.(FILE, istioSteps[5]!, { ...passed(istioSteps[5]!), status: 'skipped', skipReason: 'not selected' });
    r.onCleanup?.(FILE, { disabled: false, deleted: 2, left: [] });
    r.onRunbookEnd?.({ file: FILE, status: 'passed', steps: [passed(istioSteps[0]!)], durationMs: 900 });
    const text = out();
    expect(text).toContain('runbooks/istio.md\n13 steps · context kind-seldon at https://127.0.0.1:6443 (sandbox)\n');
    expect(text).toContain('attempt 2 … (time limit 1m30s)\n');
    expect(text.match(/model\/iris not ready/g)).toHaveLength(1);
    expect(text).toContain('password [REDACTED]');
    expect(text).toContain('↷ [4] curl skipped\n');
    expect(text).not.toContain('[5] grpcurl');
    expect(text).toContain('runbooks/istio.md: 1 passed, 0 failed, 0 skipped in 900ms');
  });

  it('names the step position in its runbook, the time limit of a wait as its own --timeout, and where a failure is', async () => {
    const { gate, stdin, out } = setup();
    gate.reporter.onRunbookStart?.(plan, target);
    const wait = istioSteps[3]!;
    const decision = gate.before(FILE, wait);
    stdin.press('\r');
    await decision;
    expect(out()).toContain('── 4/13 · [3] wait · runbooks/istio.md:46 ──');
    // The runner gives the watch 2 s more than --timeout=300s; the presenter sees 5m00s.
    gate.reporter.onStepStart?.(FILE, wait, 1, 302_000);
    expect(out()).toContain('running … (time limit 5m00s)\n');
    const next = gate.after(FILE, wait, failedWait(wait));
    expect(out()).toContain('runbooks/istio.md:48\n');
    stdin.press('\r');
    await next;
  });

  it('says the cleanup counts once (in the summary) and lists what was left with the command that deletes it', () => {
    const { gate, out } = setup();
    const r = gate.reporter;
    r.onRunbookStart?.(plan, target);
    const cleanup = { disabled: false, deleted: 2, left: [{ object: 'model/iris -n seldon-mesh', reason: 'finalizer still present after 30s' }], deleteCommand: 'kubectl delete -n seldon-mesh model/iris' };
    r.onCleanup?.(FILE, cleanup);
    r.onRunbookEnd?.({ file: FILE, status: 'failed', steps: [passed(istioSteps[0]!)], durationMs: 900, cleanup });
    const text = out();
    expect(text.match(/cleanup: 2 deleted, 1 left/g)).toHaveLength(1);
    expect(text).toContain('1 object left in the cluster:\n  model/iris -n seldon-mesh: finalizer still present after 30s\n  delete with: kubectl delete -n seldon-mesh model/iris\n');
    const quiet = setup();
    quiet.gate.reporter.onCleanup?.(FILE, { disabled: false, deleted: 3, left: [] });
    quiet.gate.reporter.onRunbookEnd?.({ file: FILE, status: 'failed', steps: [], durationMs: 900, cleanup: { disabled: false, deleted: 3, left: [] } });
    expect(quiet.out().match(/cleanup: 3 deleted, 0 left/g)).toHaveLength(1);
  });

  it('q ends the whole run: later runbooks ask nothing and show nothing', async () => {
    const { gate, stdin, out, reset } = setup();
    gate.reporter.onRunbookStart?.(plan, target);
    const decision = gate.before(FILE, istioSteps[0]!);
    stdin.press('q');
    expect(await decision).toBe('quit');
    reset();
    const other = { ...plan, file: 'runbooks/other.md' };
    gate.reporter.onRunbookStart?.(other, target);
    // No key is pressed: a prompt would wait for ever.
    expect(await gate.before('runbooks/other.md', istioSteps[0]!)).toBe('quit');
    gate.reporter.onStepEnd?.('runbooks/other.md', istioSteps[1]!, { ...passed(istioSteps[1]!), status: 'skipped', skipReason: 'quit' });
    gate.reporter.onRunbookEnd?.({ file: 'runbooks/other.md', status: 'passed', steps: [{ ...passed(istioSteps[1]!), status: 'skipped', skipReason: 'quit' }], durationMs: 5 });
    expect(out()).toBe('');
  });

  it('keeps the key prompt on one row of a 40-column terminal, so erasing it leaves nothing behind', async () => {
    const { gate, stdin, out } = setup(false, [], 40);
    const next = gate.after(FILE, istioSteps[1]!, passed(istioSteps[1]!));
    const prompt = out().slice(out().lastIndexOf('\n') + 1);
    expect(prompt).toMatch(/^\? Enter next {2}q quit {2}r re-run {2}e show/);
    expect(stringWidth(prompt)).toBeLessThan(40);
    stdin.press('e');
    await tick();
    for (const line of out().split(/\n|\r\x1b\[2K/)) expect(stringWidth(line), line).toBeLessThanOrEqual(40);
    stdin.press('\r');
    await next;
  });

  it('redacts commands and outputs it shows', async () => {
    const { gate, stdin, out } = setup(false, ['tok-abcdef']);
    const secretStep = makeStep(7, 'curl', "curl -H 'Authorization: Bearer tok-abcdef' -u me:pw12345 http://x", { prose: 'Use token `tok-abcdef`.' });
    const decision = gate.before(FILE, secretStep);
    stdin.press('\r');
    await decision;
    const next = gate.after(FILE, secretStep, passed(secretStep, { actual: '> Authorization: Bearer tok-abcdef' }));
    stdin.press('\r');
    await next;
    expect(out()).not.toMatch(/tok-abcdef|pw12345/);
    expect(out()).toContain("$ curl -H 'Authorization: Bearer [REDACTED]' -u me:[REDACTED] http://x");
  });
});
