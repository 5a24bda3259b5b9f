/** Scripted plans, steps and reports for the reporter tests. */
import type { Plan, Step, StepKind } from '../../src/core/model.js';
import type { Reporter, RunbookReport, RunReport, StepReport, Target } from '../../src/core/events.js';

export const FILE = 'runbooks/istio.md';

export function makeStep(index: number, kind: StepKind, command: string, extra: Omit<Partial<Step>, 'args'> & { args?: object } = {}): Step {
  return { index, kind, file: FILE, line: 10 + index * 12, command, options: {}, args: {}, ...extra } as Step;
}

/** The istio runbook's shape: 13 steps. */
export const istioSteps: Step[] = [
  makeStep(0, 'capture', "INGRESS_IP=!kubectl get svc istio-ingressgateway -n istio-system -o jsonpath='{.status.loadBalancer.ingress[0].ip}'"),
  makeStep(1, 'build', 'kustomize build config/single-model', { heading: 'Istio Single Model Example' }),
  makeStep(2, 'apply', 'kustomize build config/single-model | kubectl apply -f -', { heading: 'Istio Single Model Example' }),
  makeStep(3, 'wait', 'kubectl wait --for condition=ready --timeout=300s model --all -n seldon-mesh', { args: { timeoutMs: 300_000 }, heading: 'Istio Single Model Example' }),
  makeStep(4, 'curl', 'curl -v http://${INGRESS_IP}/v2/models/iris/infer \\\n   -H "Content-Type: application/json" \\\n   -d \'{"inputs": []}\'', { heading: 'Istio Single Model Example' }),
  makeStep(5, 'grpcurl', 'grpcurl -d \'{"model_name":"iris"}\' -plaintext -import-path ../../apis -proto v2_dataplane.proto ${INGRESS_IP}:80 inference.GRPCInferenceService/ModelInfer', { heading: 'Istio Single Model Example' }),
  makeStep(6, 'delete', 'kustomize build config/single-model | kubectl delete -f -', { heading: 'Istio Single Model Example' }),
  makeStep(7, 'build', 'kustomize build config/traffic-split', { heading: 'Traffic Split Two Models' }),
  makeStep(8, 'apply', 'kustomize build config/traffic-split | kubectl apply -f -', { heading: 'Traffic Split Two Models' }),
  makeStep(9, 'wait', 'kubectl wait --for condition=ready --timeout=300s model --all -n seldon-mesh', { args: { timeoutMs: 300_000 }, heading: 'Traffic Split Two Models' }),
  makeStep(10, 'curl', 'curl -v http://${INGRESS_IP}/v2/models/iris/infer -H "Content-Type: application/json" -d @payload.json', { heading: 'Traffic Split Two Models' }),
  makeStep(11, 'grpcurl', 'grpcurl -plaintext ${INGRESS_IP}:80 inference.GRPCInferenceService/ModelInfer', { heading: 'Traffic Split Two Models' }),
  makeStep(12, 'delete', 'kustomize build config/traffic-split | kubectl delete -f -', { heading: 'Traffic Split Two Models' }),
];

export const plan: Plan = { file: FILE, format: 'markdown', frontMatter: {}, steps: istioSteps };

export const target: Target = { context: 'kind-seldon', server: 'https://127.0.0.1:6443', sandbox: true };

export function passed(step: Step, extra: Partial<StepReport> = {}): StepReport {
  return {
    index: step.index,
    kind: step.kind,
    line: step.line,
    command: step.command,
    heading: step.heading,
    status: 'passed',
    durationMs: 120 + step.index,
    attempts: 1,
    expected: 'model.mlops.seldon.io/iris created',
    actual: 'model.mlops.seldon.io/iris created',
    exitCode: 0,
    ...extra,
  };
}

export const DIFF = '- model.mlops.seldon.io/iris condition met\n+ error: timed out waiting for the condition on models/iris';

export function failedWait(step: Step): StepReport {
  return passed(step, {
    status: 'failed',
    durationMs: 30_000,
    attempts: 1,
    expected: 'model.mlops.seldon.io/iris condition met',
    actual: 'error: timed out waiting for the condition on models/iris',
    exitCode: 1,
    diff: DIFF,
    error: 'timed out after 30s',
    // The recorded output starts two lines below the command; its first line is the one that differs.
    failureLine: step.line + 2,
    diagnostics: ['Model/iris ModelReady=False: ScheduleFailed (no matching servers)', 'Event Warning FailedScheduling: no server for requirements [sklearn]'],
  });
}

export function skippedStep(step: Step, reason = 'fail-fast'): StepReport {
  return passed(step, { status: 'skipped', durationMs: 0, attempts: 0, actual: '', skipReason: reason });
}

/** All 13 steps: 3 failed at the first wait, the rest skipped by fail-fast. */
export function failingRunbook(): RunbookReport {
  const steps = istioSteps.map((s) => (s.index < 3 ? passed(s) : s.index === 3 ? failedWait(s) : skippedStep(s)));
  return {
    file: FILE,
    status: 'failed',
    target,
    steps,
    durationMs: 31_234,
    cleanup: { disabled: false, deleted: 3, left: [] },
  };
}

export function runReport(runbooks: RunbookReport[], interrupted = false): RunReport {
  const all = runbooks.flatMap((r) => r.steps);
  return {
    runbooks,
    summary: {
      passed: all.filter((s) => s.status === 'passed').length,
      failed: all.filter((s) => s.status === 'failed').length,
      updated: all.filter((s) => s.status === 'updated').length,
      skipped: all.filter((s) => s.status === 'skipped').length,
      durationMs: runbooks.reduce((n, r) => n + r.durationMs, 0),
    },
    interrupted,
  };
}

/** Drives a reporter through a whole failing run, as the runner would. */
export async function playFailingRun(reporter: Reporter, deadlineBase = 1_000_000): Promise<RunReport> {
  const runbook = failingRunbook();
  reporter.onRunStart?.([{ file: FILE, steps: istioSteps.length }]);
  reporter.onRunbookStart?.(plan, target);
  for (const report of runbook.steps) {
    const step = istioSteps[report.index]!;
    if (report.status !== 'skipped') {
      reporter.onStepStart?.(FILE, step, 1, deadlineBase + 30_000);
      reporter.onStepOutput?.(FILE, step.index, 'stdout', `${report.actual}\n`);
    }
    reporter.onStepEnd?.(FILE, step, report);
  }
  reporter.onCleanup?.(FILE, runbook.cleanup!);
  reporter.onRunbookEnd?.(runbook);
  const run = runReport([runbook]);
  await reporter.onRunEnd?.(run);
  return run;
}
