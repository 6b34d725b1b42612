"""The trees bench/run measures, built from what this machine has installed (Debian packages),
never committed.

- default: the Python stdlib plus Debian's aiohttp, trio, anyio, httpx, websockets and starlette.
  Few of its files define coroutines (the stdlib is most of it), so the line model, which runs
  on every file with an `async def`, is a small part of a sweep there.
- async-dense: the stdlib's asyncio and test_asyncio plus Debian's asyncio libraries (with the
  test suites the packages ship: trio's, aiosmtpd's, tornado's), hard-linked `copies` times into
  a temporary directory, as a monorepo that vendors them would hold them. Most of its files
  define coroutines, which is the code asyncsweep exists for and where the line model costs most.
"""
import ast
import os
import re
import shutil
import subprocess

DIST = "/usr/lib/python3/dist-packages"
DEFAULT_PACKAGES = ["aiohttp", "trio", "anyio", "httpx", "websockets", "starlette"]
DENSE_PACKAGES = ["aiohttp", "trio", "anyio", "httpx", "httpcore", "websockets", "starlette", "uvicorn",
                  "hypercorn", "quart", "aiosmtpd", "aiosqlite", "aiofiles", "aiostream", "asgiref", "asyncpg",
                  "janus", "async_timeout", "tornado"]
# The Debian packages the trees above come from (libpython3.11-testsuite holds test_asyncio).
DEBIAN_PACKAGES = ["libpython3.11-testsuite", "python3-aiohttp", "python3-trio", "python3-anyio", "python3-httpx",
                   "python3-httpcore", "python3-websockets", "python3-starlette", "python3-uvicorn",
                   "python3-hypercorn", "python3-quart", "python3-aiosmtpd", "python3-aiosqlite", "python3-aiofiles",
                   "python3-aiostream", "python3-asgiref", "python3-asyncpg", "python3-janus",
                   "python3-async-timeout", "python3-tornado"]

# For files this interpreter cannot parse (Python 2 test data in the stdlib, newer syntax): a
# line that starts a coroutine definition. Parsed files are counted by ast, since docstrings
# that show `async def` at the start of a line are common enough (7 of the 682 dense files).
COROUTINE = re.compile(rb"^[ \t]*async[ \t]+def[ \t]", re.M)
PY_SUFFIXES = (".py", ".pyi")


def stdlib():
    out = subprocess.run(["/usr/bin/python3", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
                         stdout=subprocess.PIPE, check=True)
    return out.stdout.decode().strip()


def default_roots():
    return [stdlib()] + [os.path.join(DIST, p) for p in DEFAULT_PACKAGES if os.path.isdir(os.path.join(DIST, p))]


def dense_sources():
    lib = stdlib()
    sources = [os.path.join(lib, "asyncio"), os.path.join(lib, "test", "test_asyncio")]
    sources += [os.path.join(DIST, p) for p in DENSE_PACKAGES]
    return [s for s in sources if os.path.isdir(s)]


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:  # another file system, or links not allowed: a copy reads the same
        shutil.copy2(src, dst)


def build_dense(target, copies):
    """Fills TARGET (an empty directory) with COPIES hard-linked copies of the dense sources'
    Python files (nothing else: the trees are swept, not imported). Returns the sources."""
    sources = dense_sources()
    for k in range(copies):
        for source in sources:
            base = os.path.join(target, f"copy{k}", os.path.basename(source))
            for directory, dirs, files in os.walk(source):
                dirs[:] = [d for d in dirs if d != "__pycache__"]
                out = os.path.join(base, os.path.relpath(directory, source))
                wanted = [f for f in files if f.endswith(PY_SUFFIXES)]
                if wanted:
                    os.makedirs(out, exist_ok=True)
                for name in wanted:
                    _link_or_copy(os.path.join(directory, name), os.path.join(out, name))
    return sources


def defines_coroutine(data):
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError):
        return COROUTINE.search(data) is not None
    return any(isinstance(node, ast.AsyncFunctionDef) for node in ast.walk(tree))


def coroutine_share(roots):
    """(files that define a coroutine, Python files) under ROOTS, hidden directories and
    __pycache__ skipped as both tools skip them. A hard-linked copy counts as a file (both
    tools read it again) but is parsed once."""
    seen = {}
    defining = total = 0
    for root in roots:
        for directory, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            for name in files:
                if not name.endswith(PY_SUFFIXES) or name.startswith("."):
                    continue
                path = os.path.join(directory, name)
                try:
                    st = os.stat(path)
                    if (st.st_dev, st.st_ino) not in seen:
                        with open(path, "rb") as handle:
                            seen[st.st_dev, st.st_ino] = defines_coroutine(handle.read())
                except OSError:
                    continue
                total += 1
                defining += seen[st.st_dev, st.st_ino]
    return defining, total
