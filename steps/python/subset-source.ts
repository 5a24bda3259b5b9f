/**
 * The kernel's Python for cells when IPython is not importable (or RUNBOOK_IPYTHON=0): plain exec with IPython's
 * display of a trailing expression, plus the documented subset of its syntax (the README's Python cells section).
 * Part of kernel-source.ts's program: its main calls plain_runner (and show_exception) defined here.
 */
export const subsetSource = String.raw`# ---- Without IPython: a small subset of its syntax ----

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
`;
