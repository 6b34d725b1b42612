#!/usr/bin/env python3
"""Expected asyncsweep::python::LineModel data for .py files, computed with CPython (ast, tokenize).

Usage: model_oracle.py PATH... (files, or directories searched recursively for *.py)

Output is line based, one block per file, in input order (directories sorted):

  F <path>
  N <line count>               lines split at LF / CRLF / CR; a final line break opens no line
  C <flags>                    one char per line, chr(ord('0') + bits): 1 code token, 2 comment,
                               4 string bytes (line break included), 8 docstring bytes
  G <first>-<last> ...         logical lines spanning more than one physical line
  S <kind> <line> <col> <decorator_line> <body_first> <body_last> <end_col> <parent> <name>
                               one per def/async/class/lambda in source order (by first byte:
                               the first decorator's `@`, else the keyword). line/col: ast
                               lineno/col_offset (the `async` keyword for async def), col as a
                               byte offset in the raw file line (BOM included). decorator_line:
                               first decorator (0 if none). body_first: first line with a token
                               of the body (a decorated first statement starts at its `@`, a
                               lambda body at any opening parenthesis around it). body_last,
                               end_col: ast end_lineno / end_col_offset (raw byte column,
                               exclusive). parent: index in this list, -1 = module.
  D <scope> <line> <col> <end_line> <end_col>
                               docstring (body[0] is an Expr of a str Constant) of scope index
                               (-1 = module); raw byte columns, end exclusive
  @ <scope> <text>             decorator source text, escaped (see esc())
  I <async_defs> <awaits> <async_fors> <async_withs> <gather> <create_task> <task_group>
                               ast.AsyncFunctionDef, ast.Await, ast.AsyncFor + async
                               comprehension clauses, ast.AsyncWith, Calls of
                               Attribute(Name('asyncio'), 'gather') or Name('gather'), Calls whose
                               func is Name or Attribute (any receiver) named 'create_task' or
                               'TaskGroup'
  E
  X <path> <reason>            file skipped (ast or tokenize rejects it, undecodable)
  T <files> <skipped>          trailer

Everything comes from ast and tokenize except one piece: Python 3.11's tokenize returns an
f-string as one STRING token, while the model follows the 3.12 tokenizer (PEP 701) where
replacement fields are code. The FString class re-splits 3.11 f-string tokens (whose grammar
is restricted enough to scan simply: no backslashes, comments or reused quotes inside fields)
and tokenizes each field expression with tokenize itself.

Files are analyzed in parallel (multiprocessing, one worker per CPU); output order is stable.
"""
import ast
import bisect
import io
import multiprocessing
import os
import sys
import tokenize

CODE, COMMENT, STRING, DOC = 1, 2, 4, 8
SKIP_TOKENS = {tokenize.ENCODING, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
               tokenize.DEDENT, tokenize.ENDMARKER}


def esc(b: bytes) -> str:
    """Printable ASCII except backslash as is, everything else as \\xHH."""
    return ''.join(chr(c) if 0x20 < c < 0x7f and c != 0x5c else '\\x%02x' % c for c in b)


class FString:
    """Marks line flags for one Python 3.11 f-string token (text normalized to LF)."""

    def __init__(self, text, row0, flags):
        self.t, self.flags = text, flags
        self.rows = [row0]  # row of each index
        for ch in text:
            self.rows.append(self.rows[-1] + (ch == '\n'))
        i = 0
        while text[i] not in '\'"':
            i += 1
        self.raw = 'r' in text[:i].lower()
        q = text[i]
        qlen = 3 if text.startswith(q * 3, i) else 1
        self.lit(0, i + qlen)
        end = len(text) - qlen
        self.lit(end, len(text))
        self.literal(i + qlen, end, False)

    def lit(self, a, b):
        for k in range(a, b):
            self.flags[self.rows[k] - 1] |= STRING

    def code(self, k):
        self.flags[self.rows[k] - 1] |= CODE

    def literal(self, j, end, spec):
        t = self.t
        while j < end:
            c = t[j]
            if c == '{':
                if not spec and t.startswith('{{', j):
                    self.lit(j, j + 2)
                    j += 2
                    continue
                j = self.field(j, end)
            elif c == '}':
                if spec:
                    return j
                n = 2 if t.startswith('}}', j) else 1
                self.lit(j, j + n)
                j += n
            elif c == '\\' and not self.raw and j + 1 < end and t[j + 1] not in '{}':
                n = 2
                if t.startswith('N{', j + 1):
                    n = t.index('}', j) + 1 - j
                self.lit(j, j + n)
                j += n
            else:
                self.lit(j, j + 1)
                j += 1
        return j

    def field(self, j, end):
        t = self.t
        self.code(j)  # `{`
        a = j = j + 1
        depth = 0
        while j < end:
            c = t[j]
            if c in '\'"':
                qq = t[j] * 3 if t.startswith(t[j] * 3, j) else t[j]
                j = t.index(qq, j + len(qq)) + len(qq)
                continue
            if c in '([{':
                depth += 1
            elif c in ')]}':
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and (c == ':' or (c == '!' and not t.startswith('!=', j))):
                break
            j += 1
        self.expression(a, j)
        if j < end and t[j] == '!':
            self.code(j)
            j += 1
            while j < end and t[j] not in ':}':
                if not t[j].isspace():
                    self.code(j)
                j += 1
        if j < end and t[j] == ':':
            self.code(j)
            j = self.literal(j + 1, end, True)
        if j < end and t[j] == '}':
            self.code(j)
            j += 1
        return j

    def expression(self, a, b):
        src = '(' + self.t[a:b] + ')'
        toks = list(tokenize.generate_tokens(io.StringIO(src).readline))
        wrap = (toks[0], [t for t in toks if t.type == tokenize.OP][-1])  # the added ( and )
        base = self.rows[a]
        for tok in toks:
            r, er = tok.start[0], tok.end[0]
            if tok.type in SKIP_TOKENS or tok is wrap[0] or tok is wrap[1]:
                continue
            if tok.type == tokenize.STRING:
                if 'f' in tok.string[:2].lower() and tok.string[0] not in '\'"':
                    FString(tok.string, base + r - 1, self.flags)
                else:
                    for row in range(base + r - 1, base + er):
                        self.flags[row - 1] |= STRING
            elif tok.type == tokenize.COMMENT:
                self.flags[base + r - 2] |= COMMENT
            else:
                self.flags[base + r - 2] |= CODE


def analyze(path):
    try:
        with open(path, 'rb') as fh:
            raw = fh.read()
    except OSError as e:
        return 'X %s read: %s\n' % (path, e)
    norm = raw.replace(b'\r\n', b'\n').replace(b'\r', b'\n')
    try:
        tree = ast.parse(norm)
    except (SyntaxError, ValueError, UnicodeDecodeError, MemoryError, RecursionError) as e:
        return 'X %s ast: %s\n' % (path, type(e).__name__)
    try:
        enc, _ = tokenize.detect_encoding(io.BytesIO(norm).readline)
        text = norm.decode(enc)
        toks = list(tokenize.tokenize(io.BytesIO(norm).readline))
    except (SyntaxError, tokenize.TokenError, UnicodeDecodeError, LookupError,
            IndentationError) as e:
        return 'X %s tokenize: %s\n' % (path, type(e).__name__)
    bom = enc == 'utf-8-sig'
    utf8 = enc in ('utf-8', 'utf-8-sig')
    lines = text.split('\n')
    nlines = len(lines) - 1 if text.endswith('\n') or not text else len(lines)
    raw_lines = norm.split(b'\n')
    raw_starts = [0]
    for ln in raw_lines:
        raw_starts.append(raw_starts[-1] + len(ln) + 1)

    def raw_col(lineno, col):  # ast utf-8 column -> byte column in the raw file line
        if utf8:
            return col + (3 if bom and lineno == 1 else 0)
        prefix = lines[lineno - 1].encode('utf-8')[:col].decode('utf-8')
        return len(prefix.encode(enc))

    ascii_line = [ln.isascii() for ln in lines]

    def tok_utf8(row, col):  # tokenize (char) column -> utf-8 column
        return col if ascii_line[row - 1] else len(lines[row - 1][:col].encode('utf-8'))

    # ---- line flags and logical lines from tokenize
    flags = [0] * (nlines + 1)
    logical, start = [], None
    keys, texts = [], []  # (row, utf-8 col) and text of the significant tokens, in order
    for tok in toks:
        typ, (r, c), (er, _) = tok.type, tok.start, tok.end
        if typ == tokenize.NEWLINE:
            if start is not None and r > start:
                logical.append('%d-%d' % (start, r))
            start = None
            continue
        if typ in SKIP_TOKENS or (typ == tokenize.ERRORTOKEN and not tok.string.strip()):
            continue
        if typ == tokenize.COMMENT:
            flags[r - 1] |= COMMENT
            continue
        if start is None:
            start = r
        keys.append((r, tok_utf8(r, c)))
        texts.append(tok.string)
        if typ == tokenize.STRING:
            i = 0
            while tok.string[i] not in '\'"':
                i += 1
            if 'f' in tok.string[:i].lower():
                FString(tok.string, r, flags)
            else:
                for row in range(r, er + 1):
                    flags[row - 1] |= STRING
        else:
            flags[r - 1] |= CODE

    # ---- one ast walk: scopes (with their lexical parent) and the inventory
    kinds = {ast.FunctionDef: 'def', ast.AsyncFunctionDef: 'async', ast.ClassDef: 'class',
             ast.Lambda: 'lambda'}
    found = []  # (sort key, node, parent node)
    inv = [0] * 7

    AST, Call, Attribute, Name = ast.AST, ast.Call, ast.Attribute, ast.Name
    stack = [(tree, None)]
    while stack:  # iterative: deep expressions must not hit the recursion limit
        node, parent = stack.pop()
        t = type(node)
        if t is Call:
            f = node.func
            if isinstance(f, Attribute):
                if isinstance(f.value, Name) and f.value.id == 'asyncio':
                    inv[4] += f.attr == 'gather'
                inv[5] += f.attr == 'create_task'
                inv[6] += f.attr == 'TaskGroup'
            elif isinstance(f, Name):
                inv[4] += f.id == 'gather'
                inv[5] += f.id == 'create_task'
                inv[6] += f.id == 'TaskGroup'
        elif t is ast.Await:
            inv[1] += 1
        elif t is ast.AsyncFor:
            inv[2] += 1
        elif t is ast.comprehension:
            inv[2] += node.is_async
        elif t is ast.AsyncWith:
            inv[3] += 1
        elif t in kinds:
            inv[0] += t is ast.AsyncFunctionDef
            decs = getattr(node, 'decorator_list', [])
            key = (decs[0].lineno, decs[0].col_offset - 1) if decs else \
                (node.lineno, node.col_offset)
            found.append((key, node, parent))
            parent = node
        for field in node._fields:
            v = getattr(node, field, None)
            if isinstance(v, list):
                stack.extend((c, parent) for c in v if isinstance(c, AST))
            elif isinstance(v, AST):
                stack.append((v, parent))

    found.sort(key=lambda x: x[0])
    index = {id(n): i for i, (_, n, _) in enumerate(found)}
    out = ['F %s' % path, 'N %d' % nlines]

    # docstrings
    docs = []
    for owner, node in [(-1, tree)] + [(index[id(n)], n) for _, n, _ in found]:
        body = getattr(node, 'body', None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and \
                isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            v = body[0].value
            docs.append((owner, v))
            k = bisect.bisect_left(keys, (v.lineno, v.col_offset))
            while k < len(keys) and keys[k] < (v.end_lineno, v.end_col_offset):
                if texts[k][:1] not in '([{)]}':
                    for j in range(texts[k].count('\n') + 1):
                        flags[keys[k][0] - 1 + j] |= DOC
                k += 1

    out.append('C ' + ''.join(chr(48 + f) for f in flags[:nlines]))
    out.append('G' + ''.join(' ' + g for g in logical))
    decos = []
    for i, (key, node, parent) in enumerate(found):
        decs = getattr(node, 'decorator_list', [])
        if isinstance(node, ast.Lambda):
            # the body node excludes parentheses around it; the model starts at the first token
            body_first = node.body.lineno
            k = bisect.bisect_left(keys, (node.body.lineno, node.body.col_offset)) - 1
            while k >= 0 and texts[k] == '(' and keys[k] > (node.lineno, node.col_offset):
                body_first = keys[k][0]
                k -= 1
            name = b'<lambda>'
        else:
            b0 = node.body[0]
            body_first = min([b0.lineno] + [d.lineno for d in getattr(b0, 'decorator_list', [])])
            name = node.name.encode('utf-8' if utf8 else enc)
        for d in decs:
            s = raw_starts[d.lineno - 1] + raw_col(d.lineno, d.col_offset)
            e = raw_starts[d.end_lineno - 1] + raw_col(d.end_lineno, d.end_col_offset)
            decos.append('@ %d %s' % (i, esc(norm[s:e])))
        out.append('S %s %d %d %d %d %d %d %d %s' % (
            kinds[type(node)], node.lineno, raw_col(node.lineno, node.col_offset),
            decs[0].lineno if decs else 0, body_first, node.end_lineno,
            raw_col(node.end_lineno, node.end_col_offset),
            index[id(parent)] if parent is not None else -1, esc(name)))
    for owner, v in docs:
        out.append('D %d %d %d %d %d' % (owner, v.lineno, raw_col(v.lineno, v.col_offset),
                                         v.end_lineno, raw_col(v.end_lineno, v.end_col_offset)))
    out.extend(decos)
    out.append('I ' + ' '.join(map(str, inv)))
    out.append('E')
    return '\n'.join(out) + '\n'


def safe_analyze(path):
    try:
        return analyze(path)
    except Exception as e:  # an oracle bug must not hide the other files
        return 'X %s oracle: %s %s\n' % (path, type(e).__name__, str(e).replace('\n', ' '))


def collect(args):
    files = []
    for a in args:
        if os.path.isdir(a):
            for dp, dn, fn in os.walk(a):
                dn.sort()
                files.extend(os.path.join(dp, f) for f in sorted(fn) if f.endswith('.py'))
        else:
            files.append(a)
    return files


def main():
    sys.setrecursionlimit(10000)
    files = collect(sys.argv[1:])
    skipped = 0
    # surrogateescape round-trips undecodable path bytes to the C++ side unchanged
    out = io.TextIOWrapper(sys.stdout.buffer, encoding='utf-8', errors='surrogateescape',
                           newline='\n')
    try:
        pool = multiprocessing.Pool(min(os.cpu_count() or 1, 8))
        blocks = pool.imap(safe_analyze, files, chunksize=4)
    except (OSError, ImportError):  # no usable semaphores (some sandboxes): run serially
        pool, blocks = None, map(safe_analyze, files)
    for block in blocks:
        skipped += block.startswith('X ')
        out.write(block)
    if pool is not None:
        pool.close()
        pool.join()
    out.write('T %d %d\n' % (len(files), skipped))
    out.flush()


if __name__ == '__main__':
    main()
