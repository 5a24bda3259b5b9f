/**
 * The conformance table: kubectl invocations that users of Seldon Core 2's and Istio's docs type, each with what
 * a real 1.32 API server makes kubectl print (entry.ts says what an entry holds).
 */
import type { Entry } from './entry.js';
import { GET_ENTRIES } from './entries/get.js';
import { OTHER_ENTRIES } from './entries/other.js';
import { CHANGE_ENTRIES } from './entries/change.js';
import { CREATE_ENTRIES } from './entries/create.js';

export const CONFORMANCE_TABLE: readonly Entry[] = [...GET_ENTRIES, ...CREATE_ENTRIES, ...CHANGE_ENTRIES, ...OTHER_ENTRIES];

const names = new Set<string>();
for (const entry of CONFORMANCE_TABLE) {
  if (names.has(entry.name)) throw new Error(`two conformance entries are named ${entry.name}`);
  names.add(entry.name);
}
