"""Bad input end to end (issue 7): arguments that do not exist, unreadable files and directories,
dangling links and link loops, FIFOs/sockets/devices, files that vanish or shrink mid-sweep,
100 000 files, hostile path names, odd bytes (NUL, invalid UTF-8, BOM, CR/CRLF, no final
newline, a 50 MB line), broken rule packs, catastrophic regexes against PCRE2's limits, and
closed or full outputs. Every sweep must end (each run has a timeout), every file walked must be
accounted for (walked = scanned + skipped by reason + errored), and JSON/SARIF must stay valid.

test_cli.py already covers: a nonexistent root next to a good one, the bad-regex offset and
bad-TOML line, a FIFO in the tree, NUL early/late in walked files, --max-filesize on a walked
file, a match-limit hit, and `readline(); close()` on stdout. test_formats.py covers --output
/dev/full. This file adds the rest of the matrix and does not repeat those.

The permission tests need a user for whom mode bits count: run as root (what CI does), they
run the binary as `nobody` through util-linux's setpriv; run as anyone else, the binary runs as
that user, for whom a mode-000 file it owns is as unreadable as for `nobody`. Only a non-root user
who can still read such a file (CAP_DAC_OVERRIDE) skips them, saying why.

No wall-clock bound is asserted here (speed lives in bench/): each run has a generous timeout so
that a hang fails, and the runaway-regex tests check that the limit stopped the match instead.
"""
import base64
import ctypes
import ctypes.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, ROOT, accounted, check_exit, input_size, tempdir, write_tree  # noqa: E402

SETPRIV = shutil.which("setpriv")


def unprivileged_prefix():
    """The command prefix that makes a run subject to mode bits, or None when there is none."""
    if os.geteuid() == 0:
        return [SETPRIV, "--reuid=nobody", "--regid=nogroup", "--clear-groups"] if SETPRIV else None
    with tempfile.NamedTemporaryFile(prefix="asyncsweep-mode-") as probe:
        os.chmod(probe.name, 0o000)
        try:
            open(probe.name, "rb").close()
        except PermissionError:
            return []
    return None   # a non-root user who reads mode-000 files (CAP_DAC_OVERRIDE)


UNPRIVILEGED = unprivileged_prefix()


def pcre2_has_jit():
    """Asked of libpcre2-8 itself (pcre2_config(PCRE2_CONFIG_JIT)), not of asyncsweep: whether the
    binary's JIT error should appear must not be judged from the binary's output."""
    name = ctypes.util.find_library("pcre2-8")
    if name is None:
        raise AssertionError("libpcre2-8 not found: the binary links it, so it must be here")
    value = ctypes.c_uint32(0)
    PCRE2_CONFIG_JIT = 1
    if ctypes.CDLL(name).pcre2_config_8(PCRE2_CONFIG_JIT, ctypes.byref(value)) < 0:
        raise AssertionError("pcre2_config(PCRE2_CONFIG_JIT) failed")
    return value.value == 1
PARITY = os.path.join(ROOT, "scripts", "rg-parity")
SARIF_CHECK = os.path.join(ROOT, "tests", "e2e", "sarif_check.py")


def _sanitized():
    """True when BIN was built with ASan or TSan: they cost time and memory, so bounds widen."""
    try:
        with open(BIN, "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    return b"__asan_init" in data or b"__tsan_init" in data


SANITIZED = _sanitized()
SLOW = 5 if SANITIZED else 1   # hang guards (timeouts) are multiplied by this
TIMEOUT = 120 * SLOW           # no single run may take longer: a hang fails the test

FINDING = "import asyncio\nloop = asyncio.get_event_loop()\n"   # one ASW040 finding on line 2
CLEAN = "x = 1\n"


class Result:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err
        self.records = []
        self.summary = None
        self.findings = []

    def parse_json(self):
        self.records = [json.loads(line) for line in self.out.splitlines()]
        assert self.records and self.records[-1]["type"] == "summary", (self.code, self.out[:300], self.err)
        self.summary = self.records[-1]
        self.findings = [r for r in self.records if r["type"] == "finding"]
        return self


class BadInputCase(unittest.TestCase):
    def setUp(self):
        # A home of our own: no global git excludes from the machine, and one that `nobody` can
        # read (root's home is 0700, and an unreadable core.excludesFile is itself an error).
        self._home = tempfile.mkdtemp(prefix="asyncsweep-home-")
        os.chmod(self._home, 0o755)

    def tearDown(self):
        shutil.rmtree(self._home, ignore_errors=True)

    def env(self):
        env = dict(os.environ, HOME=self._home, XDG_CONFIG_HOME=os.path.join(self._home, ".config"))
        env.pop("GIT_CONFIG_GLOBAL", None)
        return env

    def sweep(self, *args, as_nobody=False, timeout=TIMEOUT, cwd=None, json_out=False):
        cmd = [BIN, *(["--format", "json"] if json_out else []), *args]
        if as_nobody:
            cmd = [*UNPRIVILEGED, *cmd]
        try:
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  timeout=timeout, cwd=cwd, env=self.env())
        except subprocess.TimeoutExpired:
            self.fail(f"asyncsweep did not finish within {timeout} s: {cmd}")
        result = Result(proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace"))
        check_exit(proc.returncode, err=result.err)
        self.assertNotIn("Sanitizer", result.err)
        self.assertNotIn("runtime error:", result.err)
        return result.parse_json() if json_out else result

    def sweep_json(self, *args, **kwargs):
        return self.sweep(*args, json_out=True, **kwargs)

    def assertAccounted(self, summary, walked=None):
        self.assertTrue(accounted(summary), summary)
        if walked is not None:
            self.assertEqual(summary["files_walked"], walked, summary)

    def skipped(self, summary, reason):
        return summary["skipped"].get(reason, 0)

    def error_paths(self, summary):
        return sorted(e["path"] for e in summary["errors"])


class Arguments(BadInputCase):
    def test_only_argument_missing(self):
        with tempdir() as d:
            missing = os.path.join(d, "no", "such.py")
            r = self.sweep_json(missing)
            self.assertEqual(r.code, 2)
            self.assertIn(f"asyncsweep: {missing}: No such file or directory", r.err)
            self.assertEqual(r.findings, [])
            self.assertEqual(self.error_paths(r.summary), [missing])
            self.assertAccounted(r.summary, walked=0)
            r = self.sweep(missing)   # text: the same error, exit 2
            self.assertEqual(r.code, 2)
            self.assertIn(missing, r.err)

    def test_missing_argument_between_files_keeps_going_in_order(self):
        with tempdir() as d:
            write_tree(d, {"a.py": FINDING, "b.py": FINDING})
            a, b, missing = os.path.join(d, "a.py"), os.path.join(d, "b.py"), os.path.join(d, "gone.py")
            r = self.sweep_json(a, missing, b)
            self.assertEqual(r.code, 2, r.err)   # an error wins over findings
            self.assertEqual(sorted(f["path"] for f in r.findings), [a, b])
            self.assertEqual(self.error_paths(r.summary), [missing])
            self.assertAccounted(r.summary, walked=2)

    def test_dangling_symlink(self):
        with tempdir() as d:
            write_tree(d, {"ok.py": FINDING})
            link = os.path.join(d, "dangling.py")
            os.symlink(os.path.join(d, "missing.py"), link)
            # Named: an error naming it.
            r = self.sweep_json(link)
            self.assertEqual(r.code, 2)
            self.assertIn(f"{link}: broken symbolic link", r.err)
            self.assertAccounted(r.summary, walked=0)
            # In a tree without -L: links are not followed, so it is only counted as ignored.
            r = self.sweep_json(d)
            self.assertEqual(r.code, 1, r.err)
            self.assertEqual(r.summary["ignored_files"]["symlink"], 1)
            self.assertEqual(r.summary["errors"], [])
            self.assertAccounted(r.summary, walked=1)
            # With -L: an error, and the rest of the tree is still swept.
            r = self.sweep_json("-L", d)
            self.assertEqual(r.code, 2)
            self.assertEqual(self.error_paths(r.summary), [link])
            self.assertEqual(len(r.findings), 1)
            self.assertAccounted(r.summary, walked=1)

    def test_symlink_loops_with_follow(self):
        with tempdir() as d:
            write_tree(d, {"x/a.py": FINDING, "y/b.py": FINDING})
            os.symlink(os.path.join(d, "y"), os.path.join(d, "x", "to_y"))   # x -> y -> x -> ...
            os.symlink(os.path.join(d, "x"), os.path.join(d, "y", "to_x"))
            os.symlink(d, os.path.join(d, "x", "to_root"))                      # back to the root
            os.symlink("self.py", os.path.join(d, "self.py"))                   # ELOOP on stat
            r = self.sweep_json("-L", "-j", "2", d, timeout=60 * SLOW)
            self.assertEqual(r.code, 2)
            loops = [e for e in r.summary["errors"] if "loop" in e["message"]]
            self.assertTrue(loops, r.summary["errors"])
            self.assertIn(os.path.join(d, "self.py"), self.error_paths(r.summary))
            # a.py and b.py are reached once directly and once through the other directory's link.
            self.assertEqual(sorted(os.path.relpath(f["path"], d) for f in r.findings),
                             ["x/a.py", "x/to_y/b.py", "y/b.py", "y/to_x/a.py"])
            self.assertAccounted(r.summary, walked=4)
            # Named on the command line, a self-loop is an error too.
            r = self.sweep_json(os.path.join(d, "self.py"))
            self.assertEqual(r.code, 2)
            self.assertAccounted(r.summary, walked=0)


@unittest.skipIf(UNPRIVILEGED is None, "mode-000 files are readable to this user: run as root with util-linux "
                 "setpriv installed (the tests then run the binary as nobody), or as a user without CAP_DAC_OVERRIDE")
class Permissions(BadInputCase):
    def tree(self, d):
        os.chmod(d, 0o755)   # tempdir() is 0700: let nobody in
        write_tree(d, {"ok/a.py": FINDING, "secret.py": FINDING, "locked/b.py": FINDING,
                       "noexec/c.py": FINDING, "nolist/d.py": FINDING})
        for sub in ("ok", "locked", "noexec", "nolist"):
            os.chmod(os.path.join(d, sub), 0o755)
        for f in ("ok/a.py", "secret.py", "locked/b.py", "noexec/c.py", "nolist/d.py"):
            os.chmod(os.path.join(d, f), 0o644)
        os.chmod(os.path.join(d, "secret.py"), 0o000)
        os.chmod(os.path.join(d, "locked"), 0o000)    # neither listed nor entered
        os.chmod(os.path.join(d, "noexec"), 0o644)    # listed, but its files cannot be opened
        os.chmod(os.path.join(d, "nolist"), 0o311)    # entered, not listed

    def test_unreadable_files_and_directories_in_the_tree(self):
        with tempdir() as d:
            self.tree(d)
            r = self.sweep_json("-j", "2", d, as_nobody=True)
            self.assertEqual(r.code, 2, r.err)
            self.assertEqual([os.path.relpath(f["path"], d) for f in r.findings], ["ok/a.py"])
            errors = {os.path.relpath(e["path"], d): e["message"] for e in r.summary["errors"]}
            self.assertEqual(errors, {"secret.py": "Permission denied", "locked": "Permission denied",
                                      "nolist": "Permission denied", "noexec/c.py": "Permission denied"})
            for path in errors:
                self.assertIn(f"{os.path.join(d, path)}: Permission denied", r.err)
            # Files that could not be read are walked and errored; unlisted directories hold none.
            self.assertEqual(r.summary["files_errored"], 2)
            self.assertAccounted(r.summary, walked=3)

    def test_unreadable_paths_named_on_the_command_line(self):
        with tempdir() as d:
            self.tree(d)
            named = [os.path.join(d, p) for p in ("secret.py", "locked", "nolist", "noexec/c.py", "ok/a.py")]
            r = self.sweep_json(*named, as_nobody=True)
            self.assertEqual(r.code, 2, r.err)
            self.assertEqual([f["path"] for f in r.findings], [os.path.join(d, "ok/a.py")])
            self.assertEqual(self.error_paths(r.summary), sorted(named[:4]))
            self.assertAccounted(r.summary)
            # A file in a directory that cannot be listed is still readable by name.
            r = self.sweep_json(os.path.join(d, "nolist", "d.py"), as_nobody=True)
            self.assertEqual((r.code, len(r.findings)), (1, 1), r.err)

    def test_unreadable_ignore_file_is_an_error_and_the_walk_goes_on(self):
        with tempdir() as d:
            os.chmod(d, 0o755)
            write_tree(d, {"repo/.git/HEAD": "ref: refs/heads/main\n", "repo/.gitignore": "skipped.py\n",
                           "repo/skipped.py": FINDING, "repo/pkg/.gitignore": "*.py\n", "repo/pkg/m.py": FINDING})
            for root, dirs, files in os.walk(d):
                for name in dirs:
                    os.chmod(os.path.join(root, name), 0o755)
                for name in files:
                    os.chmod(os.path.join(root, name), 0o644)
            os.chmod(os.path.join(d, "repo", "pkg", ".gitignore"), 0o000)
            r = self.sweep_json(os.path.join(d, "repo"), as_nobody=True)
            self.assertEqual(r.code, 2, r.err)
            self.assertIn(f"{os.path.join(d, 'repo', 'pkg', '.gitignore')}: Permission denied", r.err)
            # The readable .gitignore still applies; the unreadable one is as if absent.
            self.assertEqual([os.path.relpath(f["path"], d) for f in r.findings], ["repo/pkg/m.py"])
            self.assertAccounted(r.summary, walked=1)

    def test_unreadable_home_is_no_error(self):
        # rg skips a global excludes file it cannot read without a word, and git only warns:
        # a user who cannot read $HOME (~/.config/git/ignore) still gets a sweep.
        os.chmod(self._home, 0o700)   # root's: nobody can read ~/.config/git/ignore
        with tempdir() as d:
            os.chmod(d, 0o755)
            write_tree(d, {"a.py": FINDING})
            os.chmod(os.path.join(d, "a.py"), 0o644)
            r = self.sweep_json(d, as_nobody=True)
            self.assertEqual((r.code, len(r.findings)), (1, 1), r.err)
            self.assertNotIn("Permission denied", r.err)
            self.assertEqual(r.summary["errors"], [])


class GlobalExcludes(BadInputCase):
    def test_global_excludes_that_cannot_be_read_is_skipped(self):
        # A directory where the file should be: EISDIR, as unreadable as EACCES is to nobody.
        os.makedirs(os.path.join(self._home, ".config", "git", "ignore"))
        with tempdir() as d:
            write_tree(d, {"a.py": FINDING})
            r = self.sweep_json(d)
            self.assertEqual((r.code, len(r.findings)), (1, 1), r.err)
            self.assertEqual(r.summary["errors"], [])


class SpecialFiles(BadInputCase):
    def test_fifo_socket_and_links_to_them_in_the_tree_are_never_opened(self):
        with tempdir() as d:
            write_tree(d, {"a.py": FINDING})
            os.mkfifo(os.path.join(d, "pipe.py"))
            sock = socket.socket(socket.AF_UNIX)
            try:
                sock.bind(os.path.join(d, "sock.py"))
                os.symlink(os.path.join(d, "pipe.py"), os.path.join(d, "pipelink.py"))
                os.symlink("/dev/zero", os.path.join(d, "zero.py"))   # endless if ever read
                r = self.sweep_json(d, timeout=30 * SLOW)
                self.assertEqual(r.code, 1, r.err)
                self.assertEqual(self.skipped(r.summary, "not_regular"), 2)
                self.assertEqual(r.summary["ignored_files"]["symlink"], 2)
                self.assertAccounted(r.summary, walked=3)
                r = self.sweep_json("-L", d, timeout=30 * SLOW)
                self.assertEqual(r.code, 1, r.err)
                self.assertEqual(self.skipped(r.summary, "not_regular"), 4)
                self.assertAccounted(r.summary, walked=5)
            finally:
                sock.close()

    def test_fifo_socket_and_devices_named_explicitly_are_never_opened(self):
        with tempdir() as d:
            fifo = os.path.join(d, "pipe.py")
            os.mkfifo(fifo)
            sock = socket.socket(socket.AF_UNIX)
            try:
                sock.bind(os.path.join(d, "sock.py"))
                named = [fifo, os.path.join(d, "sock.py"), "/dev/null", "/dev/zero"]
                if os.path.exists("/dev/tty"):
                    named.append("/dev/tty")
                r = self.sweep_json(*named, timeout=30 * SLOW)
                self.assertEqual(r.code, 0, r.err)
                self.assertEqual(self.skipped(r.summary, "not_regular"), len(named))
                self.assertAccounted(r.summary, walked=len(named))
                # The FIFO has no writer: it must still not block, in text mode either.
                r = self.sweep(fifo, timeout=30 * SLOW)
                self.assertEqual(r.code, 0, r.err)
            finally:
                sock.close()

    def test_a_directory_named_like_a_python_file(self):
        with tempdir() as d:
            write_tree(d, {"pkg.py/inner.py": FINDING})
            r = self.sweep_json(d)
            self.assertEqual((r.code, len(r.findings)), (1, 1), r.err)
            self.assertAccounted(r.summary, walked=1)


class Races(BadInputCase):
    def test_files_vanishing_shrinking_and_growing_during_sweeps(self):
        """No LD_PRELOAD, no FUSE: a thread deletes, truncates, regrows and recreates files as
        fast as it can while sweeps run, for a bounded time. Whatever interleaving happens,
        every sweep must end, stay accounted for, and only ever report a vanished file."""
        with tempdir() as d:
            names = [f"pkg{i % 10}/m{i}.py" for i in range(600)]
            body = (FINDING + CLEAN * 200).encode()
            write_tree(d, {n: body for n in names})
            stop = threading.Event()

            def churn():
                i = 0
                while not stop.is_set():
                    path = os.path.join(d, names[i % len(names)])
                    step = (i // len(names)) % 4
                    try:
                        if step == 0:
                            os.unlink(path)
                        elif step == 1:
                            with open(path, "wb") as handle:   # reborn, smaller
                                handle.write(body[:40])
                        elif step == 2:
                            os.truncate(path, 5000)            # grows with NULs: binary
                        else:
                            with open(path, "wb") as handle:
                                handle.write(body)
                    except OSError:
                        pass
                    i += 1

            worker = threading.Thread(target=churn)
            worker.start()
            runs = 0
            try:
                deadline = time.monotonic() + 4
                while time.monotonic() < deadline or runs < 3:
                    r = self.sweep_json("-j", "2", d, timeout=60 * SLOW)
                    runs += 1
                    self.assertIn(r.code, (0, 1, 2), r.err)
                    self.assertAccounted(r.summary)
                    for error in r.summary["errors"]:
                        self.assertEqual(error["message"], "No such file or directory", error)
                    self.assertEqual(r.summary["files_errored"], len(r.summary["errors"]))
            finally:
                stop.set()
                worker.join()


class Scale(BadInputCase):
    def test_a_directory_of_100000_files(self):
        base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None   # tmpfs: fast to create
        with tempfile.TemporaryDirectory(prefix="asyncsweep-100k-", dir=base) as d:
            total = input_size(100_000, 20_000)
            with_finding = set(range(0, total, 997))
            for i in range(total):
                with open(os.path.join(d, f"m{i:06d}.py"), "w") as handle:
                    handle.write(FINDING if i in with_finding else CLEAN)
            r = self.sweep_json("-j", "2", d, timeout=300 * SLOW)
            self.assertEqual(r.code, 1, r.err)
            self.assertAccounted(r.summary, walked=total)
            self.assertEqual(r.summary["files_scanned"], total)
            self.assertEqual(len(r.findings), len(with_finding))
            self.assertEqual(sorted(f["path"] for f in r.findings),
                             [os.path.join(d, f"m{i:06d}.py") for i in sorted(with_finding)])
            # --files lists each file exactly once.
            r = self.sweep("--files", d, timeout=300 * SLOW)
            listed = r.out.decode().splitlines()
            self.assertEqual(len(listed), total)
            self.assertEqual(set(listed), {os.path.join(d, f"m{i:06d}.py") for i in range(total)})


class PathNames(BadInputCase):
    NAMES = [b"with space.py", b"new\nline.py", b"bad\xff\xfename.py", b"tab\there.py",
             b"quote\"back\\slash.py", b"%41pct#frag?.py", b"\xe2\x80\xaeevil.py", b"caf\xc3\xa9.py",
             b"cr\rname.py"]

    def make(self, d):
        for name in self.NAMES:
            sub = os.path.join(os.fsencode(d), b"dir \xff\n")
            os.makedirs(sub, exist_ok=True)
            with open(os.path.join(sub, name), "wb") as handle:
                handle.write(FINDING.encode())
        return {os.path.join(os.fsencode(d), b"dir \xff\n", n) for n in self.NAMES}

    def test_json_round_trips_every_path_byte(self):
        with tempdir() as d:
            expected = self.make(d)
            r = self.sweep_json(d)
            self.assertEqual(r.code, 1, r.err)
            self.assertAccounted(r.summary, walked=len(self.NAMES))
            got = set()
            for f in r.findings:
                if "path_base64" in f:
                    raw = base64.b64decode(f["path_base64"])
                    self.assertIn("\ufffd", f["path"])
                else:
                    raw = f["path"].encode("utf-8")
                got.add(raw)
            self.assertEqual(got, expected)

    def test_sarif_stays_valid(self):
        with tempdir() as d:
            self.make(d)
            out_path = os.path.join(d, "report.sarif")
            r = self.sweep("--format", "sarif", "--output", out_path, d)
            self.assertEqual(r.code, 1, r.err)
            check = subprocess.run([sys.executable, SARIF_CHECK, out_path], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
            # 3 would be python3-jsonschema missing: scripts/test installs it, so that fails too.
            self.assertEqual(check.returncode, 0, check.stdout.decode())
            with open(out_path, "rb") as handle:
                log = json.loads(handle.read().decode("utf-8"))   # strictly UTF-8
            uris = [res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    for res in log["runs"][0]["results"]]
            self.assertEqual(len(uris), len(self.NAMES))
            for uri in uris:
                self.assertFalse(any(c in uri for c in " \n\r\t\"\\#?"), uri)   # percent-encoded

    def test_other_formats_do_not_break(self):
        with tempdir() as d:
            self.make(d)
            for fmt in ("text", "github", "markdown"):
                r = self.sweep("--format", fmt, d)
                self.assertEqual(r.code, 1, (fmt, r.err))
                self.assertTrue(r.out, fmt)
            r = self.sweep("--files", d)
            self.assertEqual(r.code, 0, r.err)


class Contents(BadInputCase):
    def test_odd_bytes_match_rg_line_for_line(self):
        """rg is the oracle for line semantics: BOM, CRLF, lone CR, no final newline, invalid
        UTF-8 (including bytes PCRE2's UTF mode rejects), empty file."""
        if not shutil.which("rg"):
            self.skipTest("ripgrep is not installed")
        src = b"import asyncio\nasync def f(p):\n    x = 1\n    open(p)\n    await asyncio.gather(a(), b())\nloop = asyncio.get_event_loop()\n"
        with tempdir() as d:
            write_tree(d, {
                "bom.py": b"\xef\xbb\xbf" + src,
                "bom_first.py": b"\xef\xbb\xbfasync def g():\n    pass\n    open(x)\n",
                "bom_only.py": b"\xef\xbb\xbf",
                "crlf.py": src.replace(b"\n", b"\r\n"),
                "cr.py": src.replace(b"\n", b"\r"),
                "mixed.py": b"async def f():\r\n    y\r    open(x)\n    z\n    open(q)\r\n",
                "nonl.py": src.rstrip(b"\n"),
                "nonl_cr.py": src.rstrip(b"\n") + b"\r",
                "badutf.py": b"x = '\xff\xfe\xc3'\n" + src.replace(b"await", b"\xed\xa0\x80await\xc0\xaf") + b"y = '\xf4\x90\x80\x80'\n\xe2\x82",
                "latin1.py": b"# coding: latin-1\nasync def caf\xe9():\n    s = 1\n    open('\xe9')\n",
                "empty.py": b"",
                "newlines_only.py": b"\n\n\n",
                "ws.py": b"   \t  ",
            })
            proc = subprocess.run([sys.executable, PARITY, "--bin", BIN, d], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=self.env(),
                                  timeout=TIMEOUT)
            out = proc.stdout.decode()
            self.assertEqual(proc.returncode, 0, out)
            self.assertIn(" 0 difference(s)", out)
            r = self.sweep_json(d)
            self.assertIn(r.code, (0, 1), r.err)
            self.assertAccounted(r.summary, walked=13)
            self.assertEqual(r.summary["files_scanned"], 13)

    def test_bom_is_not_part_of_the_first_line(self):
        with tempdir() as d:
            write_tree(d, {"m.py": b"\xef\xbb\xbfloop = asyncio.get_event_loop()\n"})
            r = self.sweep_json(d)
            self.assertEqual(r.code, 1, r.err)
            (f,) = r.findings
            self.assertEqual((f["line"], f["column"], f["lines"]), (1, 8, "loop = asyncio.get_event_loop()"))

    def test_nul_in_a_named_file_counts_only_in_the_first_64k(self):
        with tempdir() as d:
            early = os.path.join(d, "early.py")
            late = os.path.join(d, "late.py")
            write_tree(d, {"early.py": FINDING.encode() + b"\x00" + b"x\n",
                           "late.py": FINDING.encode() + b"# pad\n" * 12000 + b"\x00\n" + FINDING.encode()})
            r = self.sweep_json(early, late)
            self.assertEqual(r.code, 1, r.err)
            self.assertEqual(self.skipped(r.summary, "binary"), 1)
            self.assertEqual([(f["path"], f["line"]) for f in r.findings], [(late, 2), (late, 12005)])
            self.assertAccounted(r.summary, walked=2)
            # The same files walked: a NUL anywhere makes them binary.
            r = self.sweep_json(d)
            self.assertEqual(r.code, 0, r.err)
            self.assertEqual(self.skipped(r.summary, "binary"), 2)
            self.assertAccounted(r.summary, walked=2)

    def test_max_filesize_named_and_walked_and_boundaries(self):
        with tempdir() as d:
            write_tree(d, {"exact.py": FINDING + "#" * (1000 - len(FINDING) - 1) + "\n",
                           "over.py": FINDING + "#" * (1001 - len(FINDING) - 1) + "\n"})
            r = self.sweep_json("--max-filesize", "1000", d)
            self.assertEqual(r.code, 1, r.err)
            self.assertEqual([os.path.basename(f["path"]) for f in r.findings], ["exact.py"])
            self.assertEqual(self.skipped(r.summary, "too_large"), 1)
            self.assertAccounted(r.summary, walked=2)
            r = self.sweep_json("--max-filesize", "0", os.path.join(d, "exact.py"))
            self.assertEqual(r.code, 0, r.err)
            self.assertEqual(self.skipped(r.summary, "too_large"), 1)
            self.assertAccounted(r.summary, walked=1)
            r = self.sweep("--max-filesize", "12Q", d)
            self.assertEqual(r.code, 2)
            self.assertIn("12Q", r.err)

    def test_a_50_mb_single_line_finishes_in_bounded_memory(self):
        size = input_size(50, 10) * 1000 * 1000
        with tempdir() as d:
            path = os.path.join(d, "one_line.py")
            with open(path, "wb") as handle:
                handle.write(b"x = '" + b"a(b) async def " * ((size - 60) // 15) + b"'; asyncio.get_event_loop()  # end")
            out_path = os.path.join(d, "out.json")
            with open(out_path, "wb") as out:
                proc = subprocess.Popen([BIN, "--format", "json", "-j", "2", d], stdout=out,
                                        stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=self.env())
                killer = threading.Timer(120 * SLOW, proc.kill)
                killer.start()
                try:
                    _, status, usage = os.wait4(proc.pid, 0)
                finally:
                    killer.cancel()
                proc.returncode = os.waitstatus_to_exitcode(status)   # -9 when the hang guard fired
                err = proc.stderr.read().decode()
                proc.stderr.close()
            check_exit(proc.returncode, 1, f"asyncsweep on a {size // 10**6} MB line", err)
            # ru_maxrss is in KiB. The file, one copy of the line in the finding, its JSON: a few
            # times the input, never a per-line or per-match blow-up.
            limit_mib = (32 if SANITIZED else 8) * size / 2**20   # measured: 4.4x, 20x under TSan
            self.assertLess(usage.ru_maxrss / 1024, limit_mib)
            with open(out_path, "rb") as handle:
                records = [json.loads(line) for line in handle]
            summary = records[-1]
            self.assertAccounted(summary, walked=1)
            self.assertEqual(summary["files_scanned"], 1)
            self.assertEqual(summary["findings_by_rule"], {"ASW040": 1})


PACK_HEAD = "[[rule]]\nid = '{id}'\ntitle = 'x'\ncategory = 'config'\nseverity = 'low'\ntypes = ['py']\n"


def rule(rule_id, regex, extra=""):
    return PACK_HEAD.format(id=rule_id) + f"regex = '{regex}'\n" + extra


class RulePacks(BadInputCase):
    def pack(self, d, text, name="pack.toml"):
        path = os.path.join(d, name)
        with open(path, "w") as handle:
            handle.write(text)
        return path

    def test_invalid_regex_names_rule_field_and_offset(self):
        with tempdir() as d:
            write_tree(d, {"a.py": FINDING})
            pack = self.pack(d, rule("GOOD", "a") + "\n" + rule("BADRX", "x(?<=a+)y"))
            r = self.sweep("--rules", pack, d)
            self.assertEqual(r.code, 2)
            self.assertRegex(r.err, rf"{pack}:\d+:\d+: rule BADRX: invalid regex in 'regex' at offset \d+")
            self.assertEqual(r.out, b"")   # nothing is swept with a broken pack
            pack = self.pack(d, rule("EXCL", "a", "exclude_line = ['ok', '[z-a]']\n"))
            r = self.sweep("--rules", pack, d)
            self.assertEqual(r.code, 2)
            self.assertIn("rule EXCL: invalid regex in 'exclude_line' at offset 3", r.err)

    def test_bad_toml_names_file_line_and_column(self):
        with tempdir() as d:
            cases = [  # (pack text, line of the error)
                ("[[rule]]\nid = 'X'\ntitle = 'x\n", 3),           # unterminated string
                ("[[rule]]\nid = 'X'\nid = 'Y'\n", 3),             # key defined twice
                ("[[rule]]\nid = 'X'\nbefore = 1__0\n", 3),        # bad number
                ("\ufeff[[rule]]\nid = '\udcff'\n", 2),            # BOM, then invalid UTF-8
            ]
            for n, (text, line) in enumerate(cases):
                path = os.path.join(d, f"bad{n}.toml")
                with open(path, "wb") as handle:
                    handle.write(text.encode("utf-8", "surrogateescape"))
                r = self.sweep("--rules", path, d)
                self.assertEqual(r.code, 2, text)
                self.assertRegex(r.err, rf"{path}:{line}:\d+: invalid TOML", text)

    def test_unknown_key_and_wrong_types(self):
        with tempdir() as d:
            pack = self.pack(d, rule("X", "a", "bogus_key = 1\n"))
            r = self.sweep("--rules", pack, d)
            self.assertEqual(r.code, 2)
            self.assertRegex(r.err, rf"{pack}:8:\d+: rule X: unknown key 'bogus_key'")
            pack = self.pack(d, "[[rule]]\nid = 'X'\n[[bogus]]\nx = 1\n")
            r = self.sweep("--rules", pack, d)
            self.assertEqual(r.code, 2)
            self.assertIn("unknown top-level key 'bogus'", r.err)
            pack = self.pack(d, rule("X", "a", "before = -1\n"))
            r = self.sweep("--rules", pack, d)
            self.assertEqual(r.code, 2)
            self.assertIn("'before' must be between 0 and", r.err)

    def test_duplicate_ids_in_one_pack_and_across_packs(self):
        with tempdir() as d:
            one = self.pack(d, rule("DUP", "a") + "\n" + rule("DUP", "b"), "one.toml")
            r = self.sweep("--rules", one, d)
            self.assertEqual(r.code, 2)
            self.assertRegex(r.err, rf"{one}:9:1: duplicate rule id 'DUP'")
            first = self.pack(d, rule("SAME", "a"), "first.toml")
            second = self.pack(d, rule("SAME", "b"), "second.toml")
            r = self.sweep("--rules", first, "--rules", second, d)
            self.assertEqual(r.code, 2)
            self.assertIn(f"{second}: duplicate rule id 'SAME'", r.err)

    def test_empty_pack_runs_nothing_and_exits_0(self):
        with tempdir() as d:
            write_tree(d, {"a.py": FINDING, "b.py": CLEAN})
            for text in ("", "# only a comment\n", "[pack]\n"):
                pack = self.pack(d, text, "empty.toml")
                r = self.sweep_json("--rules", pack, d)
                self.assertEqual(r.code, 0, (text, r.err))
                self.assertEqual(r.err, "")
                self.assertEqual(r.findings, [])
                self.assertEqual(r.summary["rules_run"], 0)
                self.assertAccounted(r.summary, walked=0)   # no rule wants any file
                r = self.sweep("--rules", pack, "rules")
                self.assertEqual((r.code, r.out), (0, b""), r.err)

    def test_catastrophic_backtracking_is_reported_per_file_and_rule_and_the_sweep_goes_on(self):
        with tempdir() as d:
            pack = self.pack(d, rule("SLOW", "(a+)+$") + "\n" + rule("FAST", "^b"))
            write_tree(d, {"src/long.py": "a" * 30 + "b\n" + "b\n", "src/short.py": "aaa\n",
                           "src/huge.py": ("a" * 100_000 + "b\n") * 3})
            # The match limit, not the clock, is what ends these matches: both files report it.
            r = self.sweep_json("--rules", pack, "-j", "2", os.path.join(d, "src"))
            self.assertEqual(r.code, 2, r.err)
            incomplete = sorted((os.path.basename(e["path"]), e["rule"]) for e in r.summary["errors"])
            self.assertEqual(incomplete, [("huge.py", "SLOW"), ("long.py", "SLOW")])
            for e in r.summary["errors"]:
                self.assertIn("match limit exceeded", e["message"])
            self.assertEqual(r.summary["files_incomplete"], 2)
            # The other rule still ran on the incomplete files; the other file was searched.
            found = sorted((os.path.basename(f["path"]), f["rule"], f["line"]) for f in r.findings)
            self.assertEqual(found, [("long.py", "FAST", 2), ("short.py", "SLOW", 1)])
            self.assertAccounted(r.summary, walked=3)
            self.assertEqual(r.summary["files_scanned"], 3)

    def test_raising_match_limit_makes_the_error_go_away(self):
        with tempdir() as d:
            pack = self.pack(d, rule("SLOW", "(a+)+$"))
            write_tree(d, {"src/m.py": "a" * 16 + "b\n"})
            src = os.path.join(d, "src")
            r = self.sweep_json("--rules", pack, "--match-limit", "1000", src)
            self.assertEqual(r.code, 2, r.err)
            self.assertIn("rule SLOW: match limit exceeded", r.err)
            r = self.sweep_json("--rules", pack, "--match-limit", "100000000", src)
            self.assertEqual((r.code, r.summary["errors"]), (0, []), r.err)
            self.assertEqual(r.summary["files_incomplete"], 0)

    def test_raising_jit_stack_size_makes_the_error_go_away(self):
        with tempdir() as d:
            pack = self.pack(d, rule("DEEP", "^(?:x|y)*z"))
            write_tree(d, {"src/m.py": "x" * 100_000 + "wz\n"})
            src = os.path.join(d, "src")
            if not pcre2_has_jit():
                self.skipTest("this machine's libpcre2-8 was built without JIT")
            # With JIT in the library, the rule is JIT-compiled, and a 64K stack cannot hold this.
            r = self.sweep("rules", "--rules", pack, "--format", "json")
            self.assertEqual(r.code, 0, r.err)
            listed = {rec["id"]: rec for rec in map(json.loads, r.out.splitlines())}
            self.assertTrue(listed["DEEP"]["jit"], listed["DEEP"])
            r = self.sweep_json("--rules", pack, "--jit-stack-size", "64K", src)
            self.assertEqual(r.code, 2, r.err)
            self.assertIn("rule DEEP: JIT stack limit exceeded", r.err)
            r = self.sweep_json("--rules", pack, "--jit-stack-size", "64M", src)
            self.assertEqual((r.code, r.summary["errors"]), (0, []), r.err)


class Output(BadInputCase):
    def test_head_closing_the_pipe_ends_quietly_in_every_format(self):
        with tempdir() as d:
            # More output than a pipe holds (64 KB) in every format, --files included: 500 files
            # give 100 KB of paths and 350 KB of text findings, so the writes after `head` exits fail.
            long_dir = "d" * 180
            write_tree(d, {f"p{i % 20}{long_dir}/m{i}.py": FINDING * 3 for i in range(input_size(1500, 500))})
            for args in (["--format", "text"], ["--format", "json"], ["--format", "sarif"],
                         ["--format", "github"], ["--format", "markdown"], ["--files"]):
                script = '"$0" "$@" | head -1 >/dev/null; exit "${PIPESTATUS[0]}"'
                proc = subprocess.run(["bash", "-c", script, BIN, *args, d], stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT,
                                      env=self.env())
                self.assertEqual(proc.stderr, b"", args)
                self.assertIn(proc.returncode, (0, 1), args)   # not 141 (SIGPIPE), not 2

    def test_stdout_on_a_full_disk_is_an_error(self):
        if not os.path.exists("/dev/full"):
            self.skipTest("no /dev/full")
        with tempdir() as d:
            write_tree(d, {"a.py": FINDING})
            with open("/dev/full", "wb") as full:
                proc = subprocess.run([BIN, d], stdin=subprocess.DEVNULL, stdout=full, stderr=subprocess.PIPE,
                                      timeout=TIMEOUT, env=self.env())
            self.assertEqual(proc.returncode, 2)
            self.assertIn(b"No space left on device", proc.stderr)

    def test_output_into_a_missing_directory_is_an_error(self):
        with tempdir() as d:
            write_tree(d, {"a.py": FINDING})
            target = os.path.join(d, "no", "such", "dir", "out.json")
            r = self.sweep("--format", "json", "--output", target, d)
            self.assertEqual(r.code, 2)
            self.assertIn(target, r.err)


if __name__ == "__main__":
    unittest.main(verbosity=1)
