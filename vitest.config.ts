import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Once per run, before any test: rebuild dist/ if a source is newer (the CLI tests run the bundle), and
    // find the tools that some tests need (test/tools.ts).
    globalSetup: ['test/setup/build.ts', 'test/setup/tools.ts'],
    // In each test file: one seed for the property tests (test/setup/fast-check.ts says how to explore).
    setupFiles: ['test/setup/fast-check.ts'],
    // The default output (and GitHub annotations, which vitest adds only when no reporter is configured), then
    // which tests were skipped for a missing tool, and why.
    reporters: ['default', ...(process.env.GITHUB_ACTIONS === 'true' ? ['github-actions'] : []), './test/setup/skipped-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most test time is spent waiting on real processes and sockets (kubectl, curl, the sandbox): two workers
    // overlap that waiting on 2 cores, where vitest's default (cores - 1) would run one file at a time.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
