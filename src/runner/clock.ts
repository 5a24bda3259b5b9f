/**
 * The runner's millisecond clock for durations and retries: monotonic, as performance.now(), whose first use loads
 * Node's perf_hooks modules (~0.9 ms of a one-echo run, which uses nothing else of them).
 */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;
