// Replaces the "Latest run" section of BENCHMARKS.md with a new table, keeping the prose around it.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

export function updateBenchmarksFile(output) {
  const file = path.resolve(new URL('..', import.meta.url).pathname, 'BENCHMARKS.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n${START}\n${END}\n`;
  const block = `${START}\nMachine: ${output.trim()}\n${END}`;
  const next = current.includes(START) ? current.replace(new RegExp(`${START}[\\s\\S]*?${END}`), block) : `${current}\n${block}\n`;
  writeFileSync(`${file}.tmp`, next);
  renameSync(`${file}.tmp`, file);
}
