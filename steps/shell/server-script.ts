/**
 * The bash program of the long-lived shell. server.ts starts it as `bash --norc -c SERVER_SCRIPT bash DIR
 * SERVER_FUNCTIONS`. It forks one subshell per step and runs the step's script in it with `eval`, so a step costs
 * a fork of a small bash instead of a spawn of bash from Node (bash's exec and start-up are what is saved).
 *
 * Protocol, all in the private folder DIR (0700):
 * - the runner writes the request `N.req` (renamed into place whole), then one byte to the server's stdin. A
 *   request is NUL-separated fields, read with `mapfile -d ''` into an array and never spliced into code: the
 *   working folder, the script, the PWD the step's environment names (or nothing), `+OLDPWD` or `-`, then
 *   environment changes against the server's own environment, `+NAME=VALUE` or `-NAME`.
 * - the server answers on stdout, one line each: `ready PID`, `pid N PID` (the step's process group leader, its
 *   group made before the line is written), `exit N STATUS` (128+signal when killed, as `wait` says),
 *   `fifos UPTO STATUS` (the FIFOs `K.o` and `K.e` exist for every K up to UPTO).
 * - EOF on stdin (the runner closed it, or is gone) ends the server.
 *
 * Why it is shaped like this:
 * - The server blocks in `wait -n`, so exit statuses are reported as steps end, and a request wakes it as a child
 *   that ends: the doorbell, a subshell reading one byte of stdin. Signals were tried and lose: bash runs a trap
 *   only when a blocked `read` returns; a trap that interrupts `wait -n` can make it drop the status of a job it
 *   has just reaped (it returns 128+signal instead); and a signal pending while the server forks is re-raised in
 *   the child with its default action (bash's trap.c says so). A byte in a pipe is never lost.
 * - The step's `eval` sits at top level on line 1 of the `-c` text: inside a function bash names errors
 *   `environment: line N:` where `bash -c` says `bash: line N:`, and on a later line LINENO would count from
 *   there. So line numbers and messages match `bash -c` (the one difference left: a syntax error says
 *   `bash: eval: line N:` instead of `bash: -c: line N:`).
 * - `set -m`: each step is a job with its own process group (pgid = pid), so one kill(-pgid) ends its pipeline and
 *   grandchildren, and the step does not inherit the SIGINT/SIGQUIT that bash ignores in background jobs. The step
 *   turns job control off again (`set +m`), as `bash -c` has it.
 * - FIFOs come 16 at a time from one background `mkfifo`, made 8 steps ahead, since bash has no mkfifo builtin and
 *   an exec per step would cost what the fork saves.
 * - The step gets what `bash -c` would have at its start: `set -o pipefail`, no positional parameters, none of the
 *   server's variables or functions, SECONDS from 0, BASH_EXECUTION_STRING = the script, PWD and OLDPWD chosen as
 *   bash chooses them at start-up (the environment's PWD when it names the working folder, else the physical path;
 *   OLDPWD only when it names a folder).
 */
/** Line 1 of the server, the only line that runs steps: see the comment above on `eval` and line numbers. */
const line1 =
  'eval "$2"; while __rb_request; do ( __rb_child; unset -f __rb_child __rb_fifos __rb_request __rb_ring; unset -v "${!__rb_@}"; ' +
  'set +m -o pipefail --; SECONDS=0; eval "$BASH_EXECUTION_STRING" ) & __rb_jobs[$!]="exit $__rb_n"; printf \'pid %s %s\\n\' "$__rb_n" "$!"; done';

/** The server's functions, defined by line 1 from its second argument. */
export const SERVER_FUNCTIONS = `__rb_dir=$1 __rb_next=1 __rb_upto=0
declare -A __rb_jobs=()
__rb_fifos() {
  local i f=()
  for ((i = __rb_upto + 1; i <= __rb_upto + 16; i++)); do f+=("$__rb_dir/$i.o" "$__rb_dir/$i.e"); done
  __rb_upto=$((__rb_upto + 16))
  mkfifo -m 600 -- "\${f[@]}" &
  __rb_jobs[$!]="fifos $__rb_upto"
}
__rb_child() {
  exec >"$__rb_dir/$__rb_n.o" 2>"$__rb_dir/$__rb_n.e" </dev/null
  local f op
  mapfile -d '' -t f <"$__rb_dir/$__rb_n.req" || exit 126
  cd -P -- "\${f[0]}" || exit 1
  [[ \${f[2]} == /* && \${f[2]} -ef . ]] && PWD=\${f[2]}
  if [[ \${f[3]} == +* && -d \${f[3]:1} ]]; then OLDPWD=\${f[3]:1}; else unset -v OLDPWD; declare -x OLDPWD; fi
  for op in "\${f[@]:4}"; do
    case $op in
      +*) op=\${op:1}; export "\${op%%=*}=\${op#*=}" ;;
      -*) unset -v "\${op:1}" ;;
    esac
  done
  BASH_EXECUTION_STRING=\${f[1]}
}
# Returns when request __rb_n is due; meanwhile reports the jobs that end. Exits when the doorbell reads EOF.
__rb_request() {
  local pid status
  while :; do
    if [[ -e $__rb_dir/$__rb_next.req ]]; then
      __rb_n=$__rb_next
      __rb_next=$((__rb_next + 1))
      ((__rb_n == __rb_upto - 7)) && __rb_fifos
      return 0
    fi
    pid=
    wait -n -p pid
    status=$?
    if [[ $pid == "$__rb_bell" ]]; then
      ((status == 0)) || exit 0
      __rb_ring
    elif [[ -n $pid && -v __rb_jobs[$pid] ]]; then
      printf '%s %s\\n' "\${__rb_jobs[$pid]}" "$status"
      unset "__rb_jobs[$pid]"
    fi
    # A child bash has already noted as done (its job notices) is not returned by wait -n: wait for it by pid.
    if ! kill -0 "$__rb_bell" 2>/dev/null; then
      wait "$__rb_bell" || exit 0
      __rb_ring
    fi
    for pid in "\${!__rb_jobs[@]}"; do
      kill -0 "$pid" 2>/dev/null && continue
      wait "$pid"
      printf '%s %s\\n' "\${__rb_jobs[$pid]}" "$?"
      unset "__rb_jobs[$pid]"
    done
  done
}
# The doorbell: a child that ends when the runner writes a byte (a request waits) or closes stdin (it is gone).
# Started before job control is on, so it stays in the server's process group (one kill ends both).
__rb_ring() {
  set +m
  ( read -r -N 1 _ ) <&0 &
  __rb_bell=$!
  set -m
}
__rb_ring
set -m
__rb_fifos
printf 'ready %s\\n' "$$"
`;

export const SERVER_SCRIPT = line1;
