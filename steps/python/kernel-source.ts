/**
 * The Python source of the kernel (see kernel.ts), embedded as a string so it ships inside the esbuild bundle and
 * runs with `python3 -c`: the protocol, the variables that cross, IPython's shell when importable, else the subset
 * of subset-source.ts. Python 3.6 or later. The sources hold no backtick and no dollar-brace.
 */
import { subsetSource } from './subset-source.js';

const coreSource = String.raw`# runbook's Python kernel: runs the cells of one runbook in one namespace.
# Control messages travel on fd 3 (in) and fd 4 (out) as 4-byte big-endian lengths + UTF-8 JSON, so nothing the
# user prints on fd 1 or 2 can be taken for one. After each cell the kernel writes the cell's marker (random,
# chosen by the driver) on fd 1 and fd 2: the driver knows both streams are complete when it has read both.
import ast, json, keyword, linecache, os, re, string, struct, subprocess, sys, traceback

CTRL_IN, CTRL_OUT = 3, 4
# Children (!cmd, %%bash) must not hold the control pipes: the driver sees EOF when the kernel dies.
for _fd in (CTRL_IN, CTRL_OUT):
    os.set_inheritable(_fd, False)


def read_exact(n):
    data = b''
    while len(data) < n:
        chunk = os.read(CTRL_IN, n - len(data))
        if not chunk:
            sys.exit(0)
        data += chunk
    return data


def receive():
    (n,) = struct.unpack('>I', read_exact(4))
    return json.loads(read_exact(n).decode('utf-8'))


def send(message):
    data = json.dumps(message).encode('utf-8')
    data = struct.pack('>I', len(data)) + data
    while data:
        data = data[os.write(CTRL_OUT, data):]


# Values that cross to the runbook's variables: plain str, int and float (not bool), bounded so that they still
# fit in a child's environment.
MAX_VALUE = 32768


def crossing(value):
    if type(value) not in (str, int, float):
        return None
    text = str(value)
    return text if len(text) <= MAX_VALUE and '\x00' not in text else None


def snapshot(ns):
    out = {}
    for name, value in list(ns.items()):
        if name.startswith('_'):
            continue
        text = crossing(value)
        if text is not None:
            out[name] = text
    return out


def take_vars(ns, message):
    for name, value in message.get('env', {}).items():
        if '=' in name or '\x00' in name or '\x00' in value or not name:
            continue
        if os.environ.get(name) != value:
            os.environ[name] = value
    for name, value in message.get('globals', {}).items():
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith('_'):
            continue
        # A name the cells bound to something else than a str (a number, a list) keeps its Python value.
        if name not in ns or isinstance(ns[name], str):
            ns[name] = value


def changed_vars(before_ns, before_env, ns):
    out = {}
    for name, text in snapshot(ns).items():
        if before_ns.get(name) != text:
            out[name] = text
    for name, value in os.environ.items():
        if before_env.get(name) != value and len(value) <= MAX_VALUE:
            out[name] = value
    return out


# ---- IPython, when importable ----

def ipython_runner():
    # Nobody types into this shell, so tab completion's jedi (a fifth of IPython's start-up) is kept out while
    # IPython loads, and allowed again for the cells.
    blocked = 'jedi' not in sys.modules
    if blocked:
        sys.modules['jedi'] = None
    try:
        from traitlets.config import Config
        from IPython.core.interactiveshell import InteractiveShell
        from IPython.core.displayhook import DisplayHook
    finally:
        if blocked:
            del sys.modules['jedi']

    class Hook(DisplayHook):
        # What a notebook records as the execute_result's text/plain, without the terminal's Out[n] prompt.
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            text = format_dict.get('text/plain')
            if text is not None:
                sys.stdout.write(text + '\n')

    class Shell(InteractiveShell):
        displayhook_class = Hook

        # exit() in a cell: as in Jupyter's kernel the request is noted, and the runbook's kernel carries on.
        def ask_exit(self):
            self.exit_now = True

        def _showtraceback(self, etype, evalue, stb):
            sys.stderr.write(self.InteractiveTB.stb2text(stb).rstrip('\n') + '\n')

    config = Config()
    # No history database in the user's home, no colours in tracebacks.
    config.HistoryManager.enabled = False
    config.HistoryAccessor.enabled = False
    config.InteractiveShell.colors = 'NoColor'
    config.InteractiveShell.xmode = 'Plain'
    shell = Shell.instance(config=config)
    # Children get the kernel's stdin (/dev/null, EOF at once) and its pipes, not a pseudo-terminal nobody feeds.
    shell.system = shell.system_raw

    def run(code):
        result = shell.run_cell(code, store_history=True)
        return result.error_before_exec is None and result.error_in_exec is None

    return shell.user_ns, run, True


def main():
    use_ipython = os.environ.get('RUNBOOK_IPYTHON', '1') != '0'
    runner = None
    if use_ipython:
        try:
            runner = ipython_runner()
        except ImportError:
            runner = None
    ns, run, ipython = runner or plain_runner()
    send({'t': 'ready', 'ipython': ipython, 'python': sys.version.split()[0]})
    while True:
        message = receive()
        take_vars(ns, message)
        before_ns, before_env = snapshot(ns), dict(os.environ)
        try:
            ok = run(message['code'])
        except BaseException:
            show_exception(0)
            ok = False
        vars_out = changed_vars(before_ns, before_env, ns)
        marker = message['marker'].encode('ascii')
        for stream, fd in ((sys.stdout, 1), (sys.stderr, 2)):
            try:
                stream.flush()
            except Exception:
                pass
            data = marker
            while data:
                data = data[os.write(fd, data):]
        send({'t': 'done', 'ok': bool(ok), 'vars': vars_out})

`;

export const kernelSource = `${coreSource}\n${subsetSource}\nmain()\n`;
