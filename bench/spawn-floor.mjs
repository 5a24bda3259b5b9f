// What one process costs on this machine, apart from runbook: the floor under the 13-echo rows (BENCHMARKS.md,
// "13 echo cells: the floor is process creation"). `node bench/spawn-floor.mjs [rounds]` prints, as medians:
// how long Node's spawn() blocks the event loop (fork, then the exec libuv waits for) and the time to the child's
// close, for `bash -c 'echo hi'` and `/bin/true`; and the same two commands started by a small Perl (fork, exec,
// wait), where perl is installed.
import { execFileSync, spawn } from 'node:child_process';
import { median } from './lib.mjs';

const rounds = Number(process.argv[2] ?? 21);

function once(command, args) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const blocked = Number(process.hrtime.bigint() - start) / 1e6;
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', () => resolve({ blocked, total: Number(process.hrtime.bigint() - start) / 1e6 }));
  });
}

async function fromNode(command, args) {
  await once(command, args);
  const runs = [];
  for (let i = 0; i < rounds; i++) runs.push(await once(command, args));
  return { blocked: median(runs.map((r) => r.blocked)), total: median(runs.map((r) => r.total)) };
}

// Fork, exec and wait from a 6 MB process, with nothing but Perl's built-ins (no module loads).
const PERL = `
use Time::HiRes qw(time);
my @ms;
for (0 .. $ARGV[0]) {
  my $t = time;
  my $pid = fork // die "fork: $!";
  if (!$pid) { open(STDOUT, '>', '/dev/null'); exec { $ARGV[1] } @ARGV[1 .. $#ARGV]; exit 127 }
  waitpid($pid, 0);
  push @ms, (time - $t) * 1000 if $_ > 0;
}
@ms = sort { $a <=> $b } @ms;
printf "%.2f\\n", $ms[int(@ms / 2)];
`;

function fromPerl(argv) {
  try {
    return Number(execFileSync('perl', ['-e', PERL, String(rounds), ...argv], { encoding: 'utf8' }));
  } catch {
    return undefined;
  }
}

const rows = [];
for (const [label, command, args] of [
  ["bash -c 'echo hi'", 'bash', ['-c', 'echo hi']],
  ['/bin/true', '/bin/true', []],
]) {
  const node = await fromNode(command, args);
  const perl = fromPerl([command, ...args]);
  rows.push([label, node.blocked.toFixed(2), node.total.toFixed(2), perl === undefined ? '(no perl)' : perl.toFixed(2)]);
}
console.log(`| command | Node spawn() blocks, ms | Node, to close, ms | from Perl, ms |\n| --- | --- | --- | --- |`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
