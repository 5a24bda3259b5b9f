import { describe, expect, it } from 'vitest';
import { fanOut } from '../../src/runner/fanout.js';
import { createPlainReporter } from '../../src/reporters/plain.js';
import { stripAnsi } from '../../src/ui/text.js';
import { FILE, istioSteps, passed, playFailingRun } from './fixtures.js';

function capture(color: boolean, secrets: string[] = [], now?: () => number, verbose = false) {
  let text = '';
  // Reporters get events through the runner's fan-out, which redacts them.
  const reporter = fanOut([createPlainReporter({ out: { write: (chunk: string) => (text += chunk) }, color, now, verbose })], secrets);
  return { reporter, text: () => text };
}

describe('plain reporter', () => {
  it('is quiet on success: the header, everything about a failure indented at its differing line, then the summary', async () => {
    const { reporter, text } = capture(false);
    await playFailingRun(reporter);
    const out = text();
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/\x1b\[/);
    expect(out).toBe(
      [
        'runbooks/istio.md: 13 steps against context kind-seldon at https://127.0.0.1:6443 (sandbox)',
        // The recorded line that differs (48), not the command's line (46).
        '✗ runbooks/istio.md:48 [3] wait failed after 30s',
        '    command:',
        '      kubectl wait --for condition=ready --timeout=300s model --all -n seldon-mesh',
        '    error:',
        '      timed out after 30s',
        '    diff (- recorded, + actual):',
        '      - model.mlops.seldon.io/iris condition met',
        '      + error: timed out waiting for the condition on models/iris',
        '    output:',
        '      error: timed out waiting for the condition on models/iris',
        '    diagnostics:',
        '      Model/iris ModelReady=False: ScheduleFailed (no matching servers)',
        '      Event Warning FailedScheduling: no server for requirements [sklearn]',
        '✗ runbooks/istio.md: 3 passed, 1 failed, 9 skipped in 31s; cleanup: 3 deleted, 0 left',
        '',
      ].join('\n'),
    );
  });

  it('verbose: one line per step start and end as well', async () => {
    const { reporter, text } = capture(false, [], undefined, true);
    await playFailingRun(reporter);
    const out = text();
    const lines = out.split('\n');
    expect(lines[1]).toBe(
      "▶ runbooks/istio.md:10 [0] capture: INGRESS_IP=!kubectl get svc istio-ingressgateway -n istio-system -o jsonpath='{.status.loadBalancer.ingress[0].ip}'",
    );
    expect(lines[2]).toBe('✓ runbooks/istio.md:10 [0] capture 120ms');
    // Passing steps print no output.
    expect(out.split('model.mlops.seldon.io/iris created').length - 1).toBe(0);
    expect(out).toContain('▶ runbooks/istio.md:46 [3] wait: kubectl wait');
    expect(out).toContain('✗ runbooks/istio.md:48 [3] wait failed after 30s\n');
    expect(out).toContain('- runbooks/istio.md:58 [4] curl skipped: fail-fast\n');
  });

  it('prints a step note (the --verify-splits verdict) even when the step passed', () => {
    const { reporter, text } = capture(false);
    const curl = istioSteps[10]!;
    reporter.onStepStart?.(FILE, curl, 1, 0);
    reporter.onStepEnd?.(FILE, curl, passed(curl, { note: 'traffic split: iris1 52/100, iris2 48/100 for weights 50/50 (p=0.69)' }));
    expect(text()).toBe('i runbooks/istio.md:130 [10] curl: traffic split: iris1 52/100, iris2 48/100 for weights 50/50 (p=0.69)\n');
  });

  it('colours marks and diff lines only when colour is allowed, with the same text underneath', async () => {
    const plain = capture(false, [], undefined, true);
    const colored = capture(true, [], undefined, true);
    await playFailingRun(plain.reporter);
    await playFailingRun(colored.reporter);
    expect(colored.text()).toContain('\x1b[32m✓\x1b[39m');
    expect(colored.text()).toContain('\x1b[31m- model.mlops.seldon.io/iris condition met\x1b[39m');
    expect(colored.text()).toContain('\x1b[32m+ error: timed out');
    expect(stripAnsi(colored.text())).toBe(plain.text());
  });

  it('never moves the cursor', async () => {
    const { reporter, text } = capture(true);
    await playFailingRun(reporter);
    // eslint-disable-next-line no-control-regex
    expect(text()).not.toMatch(/\x1b\[\d*[ABCDEFGHJKSTfsu]|\r/);
  });

  it('shows attempts, multi-line commands of failures, and what cleanup left with the command that deletes it', () => {
    const { reporter, text } = capture(false, [], undefined, true);
    const curl = istioSteps[4]!;
    reporter.onStepEnd?.(FILE, curl, passed(curl, { attempts: 4, durationMs: 12_500 }));
    reporter.onStepEnd?.(FILE, curl, passed(curl, { status: 'failed', error: 'exit status 7', diff: undefined, actual: '' }));
    reporter.onCleanup?.(FILE, { disabled: false, deleted: 1, left: [{ object: 'model/iris', reason: 'forbidden: cannot delete' }], deleteCommand: 'kubectl delete model/iris -n seldon-mesh' });
    reporter.onRunbookEnd?.({ file: FILE, status: 'failed', steps: [], durationMs: 1, cleanup: { disabled: false, deleted: 1, left: [{ object: 'model/iris', reason: 'x' }] } });
    reporter.onRunbookEnd?.({ file: FILE, status: 'failed', steps: [], durationMs: 1, error: 'cannot reach https://127.0.0.1:1' });
    const out = text();
    expect(out).toContain('✓ runbooks/istio.md:58 [4] curl 13s, 4 attempts\n');
    expect(out).toContain('    command:\n      curl -v http://${INGRESS_IP}/v2/models/iris/infer \\\n         -H "Content-Type: application/json" \\\n');
    expect(out).toContain('    output:\n      (none)\n');
    expect(out).toContain('! runbooks/istio.md: 1 object left in the cluster:\n    model/iris: forbidden: cannot delete\n    delete with: kubectl delete model/iris -n seldon-mesh\n');
    // Said once in the summary, not twice.
    expect(out.split('cleanup: 1 deleted, 1 left').length - 1).toBe(1);
    expect(out).toContain('✗ runbooks/istio.md: could not run: cannot reach https://127.0.0.1:1\n');
  });

  it('lists everything left with --no-cleanup, and the command that deletes it', () => {
    const { reporter, text } = capture(false);
    const left = [
      { object: 'model.mlops.seldon.io/iris -n seldon-mesh', reason: 'not deleted (--no-cleanup)' },
      { object: 'virtualservice.networking.istio.io/iris-route -n seldon-mesh', reason: 'not deleted (--no-cleanup)' },
    ];
    reporter.onCleanup?.(FILE, { disabled: true, deleted: 0, left, deleteCommand: 'kubectl delete -n seldon-mesh model/iris virtualservice/iris-route' });
    reporter.onRunbookEnd?.({ file: FILE, status: 'failed', steps: [], durationMs: 1, cleanup: { disabled: true, deleted: 0, left } });
    expect(text()).toBe(
      [
        '! runbooks/istio.md: 2 objects left in the cluster (--no-cleanup):',
        '    model.mlops.seldon.io/iris -n seldon-mesh: not deleted (--no-cleanup)',
        '    virtualservice.networking.istio.io/iris-route -n seldon-mesh: not deleted (--no-cleanup)',
        '    delete with: kubectl delete -n seldon-mesh model/iris virtualservice/iris-route',
        '✗ runbooks/istio.md: 0 passed, 0 failed, 0 skipped in 1ms; cleanup: skipped (--no-cleanup)',
        '',
      ].join('\n'),
    );
  });

  it('prints progress of a long step only when it changes, at most once per interval, and not for a quick step', () => {
    let clock = 0;
    const { reporter, text } = capture(false, [], () => clock);
    const wait = istioSteps[3]!;
    reporter.onStepStart?.(FILE, wait, 1, 0);
    reporter.onStepProgress?.(FILE, 3, 'model/iris not ready');
    clock += 9_000;
    reporter.onStepProgress?.(FILE, 3, 'model/iris not ready: LoadingModel');
    expect(text()).toBe('');
    clock += 1_000;
    reporter.onStepProgress?.(FILE, 3, 'model/iris not ready: LoadingModel');
    clock += 1_000;
    reporter.onStepProgress?.(FILE, 3, 'model/iris ready, waiting for model/iris2');
    clock += 10_000;
    reporter.onStepProgress?.(FILE, 3, 'model/iris ready, waiting for model/iris2');
    reporter.onStepProgress?.(FILE, 3, 'model/iris2 ready');
    const progress = text().split('\n').filter((l) => l.startsWith('  …'));
    expect(progress).toEqual(['  … runbooks/istio.md:46 [3] model/iris not ready: LoadingModel', '  … runbooks/istio.md:46 [3] model/iris ready, waiting for model/iris2']);
  });

  it('verbose: prints the first progress at once', () => {
    const { reporter, text } = capture(false, [], () => 0, true);
    reporter.onStepStart?.(FILE, istioSteps[3]!, 1, 0);
    reporter.onStepProgress?.(FILE, 3, 'model/iris not ready');
    expect(text()).toContain('  … runbooks/istio.md:46 [3] model/iris not ready\n');
  });

  it('redacts commands, output, diffs and diagnostics', () => {
    const { reporter, text } = capture(false, ['tok-123456']);
    const step = { ...istioSteps[4]!, command: "curl -u admin:hunter2 -H 'Authorization: Bearer tok-123456' http://x" };
    reporter.onStepStart?.(FILE, step, 1, 0);
    reporter.onStepEnd?.(FILE, step, passed(step, { status: 'failed', actual: '> Authorization: Bearer abc\r\n', diff: '+ tok-123456', diagnostics: ['token tok-123456'], error: 'got tok-123456' }));
    const out = text();
    expect(out).not.toMatch(/hunter2|tok-123456|Bearer abc/);
    expect(out).toContain("curl -u admin:[REDACTED] -H 'Authorization: Bearer [REDACTED]' http://x");
  });

  it('prints hostile output without letting it move the cursor', () => {
    const { reporter, text } = capture(false);
    const step = istioSteps[4]!;
    const hostile = '  0%\r100%\r\n\x1b[2J\x1b[Hcleared?\x1b]0;title\x07\r\n';
    reporter.onStepEnd?.(FILE, step, passed(step, { status: 'failed', actual: hostile, diff: '+ \x1b[1Aup' }));
    // eslint-disable-next-line no-control-regex
    expect(text()).not.toMatch(/[\r\x07]|\x1b/);
    expect(text()).toContain('    output:\n      100%\n      cleared?\n');
    expect(text()).toContain('      + up\n');
  });

  it('prints a total for several runbooks or an interrupted run, not for one that finished', () => {
    const { reporter, text } = capture(false);
    const one = { file: FILE, status: 'passed' as const, steps: [], durationMs: 5 };
    void reporter.onRunEnd?.({ runbooks: [one], summary: { passed: 1, failed: 0, updated: 0, skipped: 0, durationMs: 5 }, interrupted: false });
    expect(text()).toBe('');
    void reporter.onRunEnd?.({ runbooks: [], summary: { passed: 1, failed: 0, updated: 0, skipped: 2, durationMs: 5 }, interrupted: true });
    expect(text()).toBe('total: 1 passed, 0 failed, 2 skipped in 5ms (0 runbooks), interrupted\n');
  });
});
