/**
 * The Python source of the kernel (see kernel.ts), embedded as a string so it ships inside the esbuild bundle and
 * runs with `python3 -c`. Python 3.6 or later; IPython when importable. It holds no backtick and no dollar-brace.
 */
export const kernelSource = String.raw`# runbook's Python kernel: runs the cells of one runbook in one namespace.
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


# ---- Without IPython: a small subset of its syntax ----

class UnsupportedMagic(Exception):
    pass


# IPython's rules for ! lines (its DollarFormatter): {expr} fields are evaluated, {{ and }} escape; in the text
# between them $name (dots allowed) is evaluated unless it sits inside single quotes, and $$name gives $name.
DOLLAR = re.compile(r"(.*?)\$(\$?[\w\.]+)(?=([^']*'[^']*')*[^']*$)")


def expand(command, ns):
    # When anything fails the line is run as written, as IPython does (the shell then expands $name itself).
    try:
        out = []
        for literal, field, spec, conversion in string.Formatter().parse(command):
            rest = 0
            for m in DOLLAR.finditer(literal):
                text, name = m.group(1, 2)
                out.append(text + name if name.startswith('$') else text + format(eval(name, ns), ''))
                rest = m.end()
            out.append(literal[rest:])
            if field is not None:
                value = eval(field + (':' + spec if spec else ''), ns)
                value = {'r': repr, 'a': ascii, 's': str}.get(conversion or 's', str)(value)
                out.append(value)
        return ''.join(out)
    except Exception:
        return command


def system(command, ns):
    sys.stdout.flush()
    sys.stderr.flush()
    subprocess.call(expand(command, ns), shell=True, executable='/bin/bash' if os.path.exists('/bin/bash') else None)


def getoutput(command, ns):
    done = subprocess.run(expand(command, ns), shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    return done.stdout.decode('utf-8', 'replace').splitlines()


def env_magic(args):
    args = args.strip()
    if not args:
        print(dict(os.environ))
        return None
    for sep in ('=', ' '):
        if sep in args:
            name, value = args.split(sep, 1)
            name, value = name.strip(), value.strip()
            os.environ[name] = value
            print('env: %s=%s' % (name, value))
            return None
    return os.environ[args]


LINE = re.compile(r'^(\s*)(?:([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*)?(!|%env\b)(.*)$')


def transform(code):
    lines = []
    for line in code.split('\n'):
        m = LINE.match(line)
        if m:
            indent, target, what, rest = m.groups()
            if what == '!':
                call = ('__rb_getoutput(%r, {**globals(), **locals()})' if target else '__rb_system(%r, {**globals(), **locals()})') % rest
            else:
                call = '__rb_env(%r)' % rest
            line = indent + (target + ' = ' if target else '') + call
        else:
            magic = re.match(r'^\s*%%?([A-Za-z_]\w*)', line)
            if magic:
                raise UnsupportedMagic('%' + magic.group(1))
        lines.append(line)
    return '\n'.join(lines)


def cell_magic(code, ns):
    first, _, body = code.partition('\n')
    words = first[2:].split()
    name = words[0] if words else ''
    if name in ('bash', 'sh'):
        sys.stdout.flush()
        sys.stderr.flush()
        shell = '/bin/bash' if name == 'bash' else '/bin/sh'
        done = subprocess.run([shell], input=body.encode('utf-8'))
        return done.returncode == 0
    if name == 'writefile' and len(words) >= 2:
        append = words[1] == '-a'
        path = expand(' '.join(words[2:] if append else words[1:]), ns)
        exists = os.path.exists(path)
        with open(path, 'a' if append else 'w', encoding='utf-8') as f:
            f.write(body if body.endswith('\n') or not body else body + '\n')
        print(('Appending to %s' if append else 'Overwriting %s' if exists else 'Writing %s') % path)
        return True
    raise UnsupportedMagic('%%' + name)


def show_exception(skip):
    etype, value, tb = sys.exc_info()
    # The kernel's own frames are not the user's business.
    for _ in range(skip):
        if tb is not None:
            tb = tb.tb_next
    sys.stderr.write(''.join(traceback.format_exception(etype, value, tb)))


def plain_runner():
    ns = {'__name__': '__main__', '__builtins__': __builtins__}
    ns['__rb_system'] = system
    ns['__rb_getoutput'] = getoutput
    ns['__rb_env'] = env_magic
    count = [0]

    def run(code):
        count[0] += 1
        filename = '<cell %d>' % count[0]
        try:
            if code.lstrip().startswith('%%'):
                return cell_magic(code.lstrip(), ns)
            source = transform(code)
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
            tree = ast.parse(source, filename)
        except UnsupportedMagic as error:
            sys.stderr.write('UsageError: %s is not supported without IPython (install python3-ipython)\n' % error)
            return False
        except SyntaxError:
            show_exception(99)
            return False
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        try:
            exec(compile(tree, filename, 'exec'), ns)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), filename, 'eval'), ns)
                # As IPython: None is not shown, nor a value whose line ends with ';'.
                if value is not None and not code.rstrip().endswith(';'):
                    ns['_'] = value
                    sys.stdout.write(repr(value) + '\n')
        except BaseException:
            show_exception(1)
            return False
        return True

    return ns, run, False


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


main()
`;
