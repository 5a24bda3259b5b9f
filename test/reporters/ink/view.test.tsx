import { afterEach, describe, expect, it } from 'vitest';
import { fanOut } from '../../../src/runner/fanout.js';
import { cleanup, render } from 'ink-testing-library';
import { createInkStore } from '../../../src/reporters/ink/store.js';
import { InkApp } from '../../../src/reporters/ink/view.js';
import stringWidth from 'string-width';
import { displayWidth } from '../../../src/ui/width.js';
import { FILE, failedWait, istioSteps, passed, plan, playFailingRun, skippedStep, target } from '../fixtures.js';

afterEach(() => cleanup());

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(secrets: string[] = []) {
  let clock = 1_000_000;
  const now = () => clock;
  const store = createInkStore({ now });
  const ui = render(<InkApp store={store} color={false} now={now} tickMs={0} />);
  // `redacted`: the store's hooks as reporters get them, through the runner's fan-out, which redacts events.
  return { store, ui, r: store.reporter, redacted: fanOut([store.reporter], secrets), advance: (ms: number) => (clock += ms) };
}

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

describe('ink reporter', () => {
  it('draws the header with runbook, context, server and step count', async () => {
    const { ui, r } = setup();
    r.onRunStart?.([{ file: FILE, steps: 13 }]);
    r.onRunbookStart?.(plan, target);
    await settle();
    const frame = ui.lastFrame()!.trimEnd();
    expect(frame).toContain('runbooks/istio.md · 13 steps');
    expect(frame).toContain('context kind-seldon at https://127.0.0.1:6443 (sandbox)');
  });

  it('shows the running step with spinner, elapsed time against its deadline, progress and the last lines of output', async () => {
    const { ui, r, advance } = setup();
    r.onRunbookStart?.(plan, target);
    const step = istioSteps[3]!;
    r.onStepStart?.(FILE, step, 1, 1_000_000 + 300_000);
    r.onStepOutput?.(FILE, 3, 'stdout', 'one\ntwo\nthree\n');
    r.onStepOutput?.(FILE, 3, 'stderr', 'four\nfive\nsix\nseven (partial');
    r.onStepOutput?.(FILE, 3, 'stderr', ' continued)');
    r.onStepProgress?.(FILE, 3, 'model/iris: ModelReady=False (LoadingModel)');
    advance(2_500);
    await settle();
    const lines = ui.lastFrame()!.split('\n');
    const head = lines.find((l) => l.includes('[3]  wait '))!;
    expect(head).toMatch(/^⠋ \[3\] {2}wait {4}kubectl wait --for condition=ready/);
    expect(head).toMatch(/2\.5s \/ 5m00s$/);
    expect(lines).toContain('    model/iris: ModelReady=False (LoadingModel)');
    // The tail keeps the last five lines, and a partial line is replaced by its continuation.
    const tail = lines.filter((l) => l.startsWith('    │ ')).map((l) => l.slice(6));
    expect(tail).toEqual(['three', 'four', 'five', 'six', 'seven (partial continued)']);
  });

  it('prints a passed step once, in Static, and removes it from the live area', async () => {
    const { ui, r } = setup();
    r.onRunbookStart?.(plan, target);
    const step = istioSteps[2]!;
    r.onStepStart?.(FILE, step, 1, 1_030_000);
    r.onStepOutput?.(FILE, 2, 'stdout', 'model.mlops.seldon.io/iris created\n');
    await settle();
    expect(ui.lastFrame()).toContain('│ model.mlops.seldon.io/iris created');
    r.onStepEnd?.(FILE, step, passed(step, { durationMs: 1234, attempts: 3 }));
    await settle();
    const frame = ui.lastFrame()!.trimEnd();
    expect(frame).not.toContain('│');
    expect(frame).not.toContain('⠋');
    expect(occurrences(frame, '[2]  apply')).toBe(1);
    expect(frame).toMatch(/^✓ \[2\] {2}apply {3}kustomize build config\/single-model \| kubectl apply -f - +1\.2s, 3 attempts$/m);
  });

  it('shows a mismatch with its diff, error and diagnostics under the step, then the summary with cleanup', async () => {
    const { ui, r } = setup();
    await playFailingRun(r);
    await settle();
    const frame = ui.lastFrame()!.trimEnd();
    const lines = frame.split('\n');
    const at = lines.findIndex((l) => l.startsWith('✗ [3]  wait '));
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 6)).toEqual([
      // Where to look: the recorded line that differs, not the command's line (46).
      '    runbooks/istio.md:48',
      '    timed out after 30s',
      '    - recorded, + actual',
      '    - model.mlops.seldon.io/iris condition met',
      '    + error: timed out waiting for the condition on models/iris',
    ]);
    expect(frame).toContain('    Model/iris ModelReady=False: ScheduleFailed (no matching servers)');
    expect(frame).toMatch(/^- \[4\] {2}curl {4}.*skipped: fail-fast$/m);
    expect(lines.at(-1)).toBe('✗ runbooks/istio.md: 3 passed, 1 failed, 9 skipped in 31s; cleanup: 3 deleted, 0 left');
  });

  it('lists what cleanup left and the command that deletes it, also with --no-cleanup; the summary says it once', async () => {
    const { ui, r } = setup();
    r.onRunbookStart?.(plan, target);
    const left = [{ object: 'model/iris', reason: 'finalizer still present after 30s' }];
    r.onCleanup?.(FILE, { disabled: false, deleted: 2, left, deleteCommand: 'kubectl delete model/iris -n seldon-mesh' });
    r.onRunbookEnd?.({ file: FILE, status: 'failed', steps: [], durationMs: 10, cleanup: { disabled: false, deleted: 2, left } });
    await settle();
    const frame = ui.lastFrame()!;
    expect(frame).toContain('! runbooks/istio.md: 1 object left in the cluster\n    model/iris: finalizer still present after 30s\n    delete with: kubectl delete model/iris -n seldon-mesh');
    expect(occurrences(frame, 'cleanup: 2 deleted, 1 left')).toBe(1);
    const all = [
      { object: 'model.mlops.seldon.io/iris -n seldon-mesh', reason: 'not deleted (--no-cleanup)' },
      { object: 'gateway.networking.istio.io/seldon-gateway -n seldon-mesh', reason: 'not deleted (--no-cleanup)' },
    ];
    r.onCleanup?.(FILE, { disabled: true, deleted: 0, left: all, deleteCommand: 'kubectl delete -n seldon-mesh model/iris gateway/seldon-gateway' });
    r.onRunbookEnd?.({ file: FILE, status: 'failed', steps: [], durationMs: 10, cleanup: { disabled: true, deleted: 0, left: all } });
    await settle();
    const after = ui.lastFrame()!.trimEnd();
    expect(after).toContain('! runbooks/istio.md: 2 objects left in the cluster (--no-cleanup)\n    model.mlops.seldon.io/iris -n seldon-mesh: not deleted (--no-cleanup)');
    expect(after).toContain('    delete with: kubectl delete -n seldon-mesh model/iris gateway/seldon-gateway');
    expect(after).toMatch(/cleanup: skipped \(--no-cleanup\)$/);
  });

  it('shows a wait with --timeout=300s as 5m00s, not the deadline the runner gives its watch (300 s + 2 s)', async () => {
    const { ui, r } = setup();
    r.onStepStart?.(FILE, istioSteps[3]!, 1, 1_000_000 + 302_000);
    await settle();
    expect(ui.lastFrame()).toMatch(/0ms \/ 5m00s$/m);
    r.onStepStart?.(FILE, istioSteps[4]!, 1, 1_000_000 + 302_000);
    await settle();
    expect(ui.lastFrame()).toMatch(/\[4\] {2}curl .* 0ms \/ 5m02s$/m);
  });

  it('shows a step note (the --verify-splits verdict) under the step', async () => {
    const { ui, r } = setup();
    const step = istioSteps[10]!;
    r.onStepEnd?.(FILE, step, passed(step, { note: 'traffic split: iris1 52/100, iris2 48/100 for weights 50/50 (p=0.69)' }));
    await settle();
    expect(ui.lastFrame()).toMatch(/^✓ \[10\] curl .*\n {4}traffic split: iris1 52\/100, iris2 48\/100 for weights 50\/50 \(p=0\.69\)$/m);
  });

  it('re-renders at 80 columns on resize: no line wider than the terminal, long commands truncated, nothing duplicated', async () => {
    const { ui, r } = setup();
    r.onRunbookStart?.(plan, target);
    const step = istioSteps[5]!;
    r.onStepStart?.(FILE, step, 2, 1_060_000);
    r.onStepOutput?.(FILE, 5, 'stdout', `${'x'.repeat(150)}\n`);
    await settle();
    const wide = ui.lastFrame()!;
    expect(wide).toContain('[5]  grpcurl');
    Object.defineProperty(ui.stdout, 'columns', { value: 80, configurable: true });
    ui.stdout.emit('resize');
    await settle();
    const narrow = ui.lastFrame()!;
    expect(narrow).not.toBe(wide);
    for (const line of narrow.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    const head = narrow.split('\n').find((l) => l.includes('[5]  grpcurl'))!;
    expect(head).toMatch(/…/);
    expect(head).toMatch(/0ms \/ 1m00s, attempt 2$/);
    expect(occurrences(narrow, 'runbooks/istio.md · 13 steps')).toBe(1);
    expect(occurrences(narrow, '[5]  grpcurl')).toBe(1);
  });

  describe.each([40, 200])('at %i columns', (columns) => {
    const command = 'echo "🚀 デプロイ完了 👨‍👩‍👧 ⚠️ model ready" && kubectl wait --for condition=ready --timeout=300s model --all -n seldon-mesh';
    it('keeps every row of every frame within the terminal, emoji and CJK included', async () => {
      const { ui, r, advance } = setup();
      Object.defineProperty(ui.stdout, 'columns', { value: columns, configurable: true });
      ui.stdout.emit('resize');
      r.onRunbookStart?.(plan, target);
      const step = { ...istioSteps[5]!, command };
      const from = ui.frames.length;
      r.onStepStart?.(FILE, step, 2, 1_000_000 + 60_000);
      r.onStepProgress?.(FILE, 5, 'models still loading: iris (ModelReady=False, LoadingModel) 🚀 デプロイ完了 for 12s');
      r.onStepOutput?.(FILE, 5, 'stdout', `${'模型'.repeat(60)}\n`);
      // Each re-render is a spinner frame in the terminal; none may leave a row behind by wrapping.
      for (let i = 0; i < 5; i++) {
        advance(65_000);
        r.onStepOutput?.(FILE, 5, 'stdout', `line ${i} 👨‍👩‍👧\n`);
        await settle();
      }
      r.onStepEnd?.(FILE, step, passed(step, { durationMs: 61_000, attempts: 3 }));
      await settle();
      const frames = ui.frames.slice(from);
      expect(frames.length).toBeGreaterThan(5);
      for (const frame of frames) for (const line of frame.split('\n')) expect(stringWidth(line), line).toBeLessThanOrEqual(columns);
      const heads = frames.flatMap((f) => f.split('\n')).filter((l) => l.includes('[5]  grpcurl'));
      expect(heads.length).toBeGreaterThan(5);
      if (columns === 200) {
        // Room for everything: the whole command, the elapsed time, the limit and the attempt, right-aligned.
        for (const head of heads.filter((h) => h.startsWith('⠋'))) {
          expect(head).toContain(command);
          expect(head).toMatch(/ \/ 1m00s, attempt 2$/);
          expect(stringWidth(head)).toBe(200);
        }
        expect(ui.lastFrame()).toMatch(/^✓ \[5\] {2}grpcurl echo "🚀 デプロイ完了 👨‍👩‍👧 ⚠️ model ready" && kubectl wait .* 1m01s, 3 attempts$/m);
      } else {
        // The command is cut (with …) before the elapsed time gives way; the limit goes first.
        for (const head of heads.filter((h) => h.startsWith('⠋'))) expect(head).toMatch(/^⠋ \[5\] {2}grpcurl echo ".*… +\d+m\d\ds, attempt 2$/);
        expect(ui.lastFrame()).toMatch(/^✓ \[5\] {2}grpcurl echo .*… +1m01s$/m);
      }
    });
  });

  it('redacts secrets in commands, output tails and diffs', async () => {
    const { ui, redacted: r } = setup(['s3cr3t-value']);
    r.onRunbookStart?.(plan, target);
    const step = { ...istioSteps[4]!, command: 'curl -H "Authorization: Bearer abc.def" http://x/ -u admin:hunter2' };
    r.onStepStart?.(FILE, step, 1, 1_030_000);
    r.onStepOutput?.(FILE, 4, 'stderr', '> Authorization: Bearer abc.def\r\ntoken is s3cr3t-value\n');
    await settle();
    const live = ui.lastFrame()!;
    expect(live).not.toContain('abc.def');
    expect(live).not.toContain('hunter2');
    expect(live).not.toContain('s3cr3t-value');
    expect(live).toContain('token is [REDACTED]');
    r.onStepEnd?.(FILE, step, failedWait(step));
    r.onStepEnd?.(FILE, istioSteps[5]!, { ...skippedStep(istioSteps[5]!), skipReason: 'because s3cr3t-value' });
    await settle();
    expect(ui.lastFrame()).not.toContain('s3cr3t-value');
  });

  it('shows hostile output without cursor movement in the tail or under a failure', async () => {
    const { ui, r } = setup();
    const step = istioSteps[4]!;
    r.onStepStart?.(FILE, step, 1, 1_030_000);
    r.onStepOutput?.(FILE, 4, 'stdout', 'a\x1b[2J\x1b[1;1Hb\x07\n');
    await settle();
    expect(ui.lastFrame()).toContain('│ ab');
    r.onStepEnd?.(FILE, step, { ...failedWait(step), diff: undefined, actual: 'x\x1b[3Ay\rz' });
    await settle();
    // eslint-disable-next-line no-control-regex
    expect(ui.lastFrame()).not.toMatch(/\x1b|\x07|\r/);
    expect(ui.lastFrame()).toContain('    z');
  });

  it('names the file of each step when several runbooks run, and prints a total', async () => {
    const { ui, r } = setup();
    r.onRunStart?.([
      { file: 'a.md', steps: 1 },
      { file: 'b.md', steps: 1 },
    ]);
    const a = { ...istioSteps[0]!, file: 'a.md' };
    r.onStepStart?.('a.md', a, 1, 1_030_000);
    r.onStepEnd?.('a.md', a, passed(a));
    void r.onRunEnd?.({ runbooks: [], summary: { passed: 2, failed: 0, updated: 0, skipped: 0, durationMs: 2000 }, interrupted: true });
    await settle();
    expect(ui.lastFrame()).toMatch(/^✓ a\.md \[0\] {2}capture INGRESS_IP/m);
    expect(ui.lastFrame()!.trimEnd()).toMatch(/total: 2 passed, 0 failed, 0 skipped in 2\.0s \(0 runbooks\), interrupted$/);
  });
});
