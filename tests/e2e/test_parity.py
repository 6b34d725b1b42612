"""rg is the oracle for every rule's regex stage: `scripts/rg-parity` must report zero
differences on fixture trees built to hit rg's corner cases, and on real trees."""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, ROOT, stdlib_dir, tempdir, write_tree  # noqa: E402

PARITY = os.path.join(ROOT, "scripts", "rg-parity")

# Each file aims at a detail where a PCRE2 reimplementation of rg could drift.
CORNER_CASES = {
    # CRLF: rg's `.` matches \r, so `async def.*\n` still matches a CRLF file.
    "crlf.py": b"import asyncio\r\nasync def f(p):\r\n    x = 1\r\n    open(p)\r\n    await asyncio.gather(a(), b())\r\n",
    # A match that ends at end of file without a newline.
    "eof.py": b"async def g():\n    pass\n    subprocess.run(['x'])",
    # Overlapping and adjacent multiline matches merge into one range.
    "merge.py": b"async def a():\nasync def b():\n    open(x)\n    open(y)\nasync def c():\n  z\n  open(q)\n",
    # Unicode \b: a letter before `await` is a word character; an emoji is not.
    "unicode.py": "x = 1\n\u00e9await foo\n\U0001F600await foo\nawait\u00e9\n   await   x\n".encode(),
    # Invalid UTF-8 around a match.
    "latin1.py": b"s = '\xe9\xe8'  # caf\xe9\nasyncio.get_event_loop()\n\xff asyncio.gather(\n",
    # ^ anchors at line starts only.
    "anchors.py": b"  async def indented():\n    pass\nasync def top():\n    await x\n",
    # Lone CR is not a line terminator for rg.
    "lone_cr.py": b"async def f():\r    open(x)\r\n    y\n    os.read(fd, 1)\n",
    # Hidden files: the py type lets them through, as rg --type py does; hidden dirs are pruned.
    ".hidden.py": b"asyncio.get_event_loop()\n",
    ".hidden_dir/x.py": b"asyncio.get_event_loop()\n",
    "stubs/mod.pyi": b"async def stub() -> None: ...\n",
    # Config files, found anywhere in the tree with -g.
    "pyproject.toml": b"[tool.pytest.ini_options]\nasyncio_mode = \"auto\"\n",
    "svc/pytest.ini": b"[pytest]\nasyncio_mode = auto\n",
    "svc/tests/test_x.py": b"@pytest.mark.asyncio\nasync def test_x():\n    await y\n",
    # Pipelines: grep -v and grep -L stages are not part of the rg stage.
    "entry.py": b"if __name__ == '__main__':\n    asyncio.run(main())\nasyncio.run(other())\n",
    "fds.py": b"r, w = os.pipe()\nflags = fcntl.fcntl(r, fcntl.F_GETFL)\nfcntl.fcntl(r, fcntl.F_SETFL, flags | os.O_NONBLOCK)\nf = os.fdopen(w, 'wb')\nloop.connect_write_pipe(lambda: p, f)\n",
    "ctx.py": b"try: x()\nfinally: conn.close()\ntry: y(); finally: s.aclose()\nexcept ValueError: db.record_error(k)\ndef handler(self, db, key, response_id): pass\n",
    "sock.py": b"async def s():\n    sock = socket.socket()\n    socket.socket().connect(addr)\n",
    "paths.py": b"async def r(p):\n    t = 1\n    data = p.read_text()\n",
    "pop.py": b"async def q():\n    a = 1\n    subprocess.Popen(['ls'])\n    os.write(1, b'x')\n",
    "tasks.py": b"async with asyncio.TaskGroup() as tg:\n    tg.create_task(a())\nt = asyncio.create_task(b())\n",
    "empty.py": b"",
}


def parity(*roots):
    return subprocess.run([sys.executable, PARITY, "--bin", BIN, *roots], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


class Parity(unittest.TestCase):
    def test_corner_case_fixtures(self):
        with tempdir() as d:
            write_tree(d, CORNER_CASES)
            proc = parity(d)
            out = proc.stdout.decode()
            self.assertEqual(proc.returncode, 0, out)
            self.assertIn("0 difference(s)", out)
            # The fixtures must exercise every rule, or the test proves nothing for it.
            for line in out.splitlines():
                if line.startswith("ASW"):
                    self.assertNotIn(" ok 0 lines", line, f"fixture does not exercise: {line}")

    def test_python_standard_library(self):
        proc = parity(stdlib_dir())
        out = proc.stdout.decode()
        self.assertEqual(proc.returncode, 0, out)
        self.assertIn("0 difference(s)", out)

    def test_debian_asyncio_packages(self):
        roots = ["/usr/lib/python3/dist-packages/aiohttp", "/usr/lib/python3/dist-packages/trio",
                 "/usr/lib/python3/dist-packages/anyio"]
        missing = [p for p in roots if not os.path.isdir(p)]
        # scripts/test installs them: a missing tree is a broken setup, not a skip.
        self.assertEqual(missing, [], "python3-aiohttp, python3-trio, python3-anyio")
        proc = parity(*roots)
        out = proc.stdout.decode()
        self.assertEqual(proc.returncode, 0, out)
        self.assertIn("0 difference(s)", out)


if __name__ == "__main__":
    unittest.main(verbosity=1)
