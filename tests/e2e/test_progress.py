"""Progress on stderr only when it is a terminal and not in CI; never in pipes."""
import os
import pty
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, check_exit, stdlib_dir  # noqa: E402


def run_with_tty_stderr(env):
    master, slave = pty.openpty()
    proc = subprocess.Popen([BIN, "-j", "1", "--format", "json", stdlib_dir()], stdout=subprocess.DEVNULL,
                            stderr=slave, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    code = proc.wait()
    os.close(master)
    out = b"".join(chunks).decode("utf-8", "replace")
    check_exit(code, (0, 1), "asyncsweep on the standard library with a terminal as stderr", out)
    return out


class Progress(unittest.TestCase):
    def test_terminal_gets_progress(self):
        env = dict(os.environ, ASYNCSWEEP_PROGRESS_DELAY_MS="0")
        env.pop("CI", None)
        out = run_with_tty_stderr(env)
        self.assertIn("asyncsweep: ", out)
        self.assertRegex(out, r"\d+ files, [\d.]+ MB, \d+ MB/s")

    def test_not_in_ci_or_pipes(self):
        env = dict(os.environ, ASYNCSWEEP_PROGRESS_DELAY_MS="0", CI="true")
        self.assertNotIn("MB/s", run_with_tty_stderr(env))
        env.pop("CI")
        proc = subprocess.run([BIN, "--format", "json", stdlib_dir()], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
        check_exit(proc.returncode, (0, 1), "asyncsweep on the standard library", proc.stderr.decode("utf-8", "replace"))
        self.assertEqual(proc.stderr, b"")


if __name__ == "__main__":
    unittest.main(verbosity=1)
