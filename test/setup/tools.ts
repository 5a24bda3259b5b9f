/**
 * Vitest globalSetup: finds the tools the suite uses once (each test file then reads the result from the
 * environment instead of running every `--version` again) and says which are missing before any test runs.
 */
import { cacheVariable, findAll, reported, toolsRequired } from './find-tools.js';

export default function setup(): void {
  const found = findAll();
  process.env[cacheVariable] = JSON.stringify(found);
  const missing = reported.filter((tool) => !found[tool]?.path);
  if (missing.length === 0) return;
  console.log(
    toolsRequired()
      ? `runbook tests: not installed: ${missing.join(', ')} (RUNBOOK_REQUIRE_TOOLS is set: the tests that need them fail)`
      : `runbook tests: not installed: ${missing.join(', ')}; the tests that need them are skipped, with the reason in their names`,
  );
}
