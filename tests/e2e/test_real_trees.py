"""Real trees: the machine's Python standard library and Debian's python3-aiohttp/-trio sources
sweep cleanly, every file accounted for, and the files searched are the ones rg would search."""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import accounted, run_json, stdlib_dir  # noqa: E402

DIST = "/usr/lib/python3/dist-packages"


def rg_python_files(roots):
    listing = subprocess.run(["rg", "--type-list"], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, check=True)
    extra = [] if any(l.startswith("py:") and "*.pyi" in l for l in listing.stdout.decode().splitlines()) \
        else ["--type-add", "py:*.pyi"]
    proc = subprocess.run(["rg", "--files", *extra, "-t", "py", *roots], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr   # 1: no file at all, 2: an error; neither is a list
    return set(proc.stdout.decode("utf-8", "surrogateescape").splitlines())


class RealTrees(unittest.TestCase):
    def check(self, roots):
        code, findings, summary, err = run_json("--select", "blocking-io,deprecated-api,nested-run,nonblocking-fd", *roots,
                                                expect=(0, 1))
        self.assertEqual(summary["errors"], [])
        self.assertTrue(accounted(summary), summary)
        self.assertEqual(summary["files_walked"], len(rg_python_files(roots)))
        self.assertGreater(summary["bytes_scanned"], 0)
        for f in findings:
            self.assertTrue(0 <= f["score"] <= 100)
            self.assertTrue(f["reasons"])

    def test_standard_library(self):
        self.check([stdlib_dir()])

    def test_debian_aiohttp_and_trio(self):
        roots = [os.path.join(DIST, p) for p in ("aiohttp", "trio") if os.path.isdir(os.path.join(DIST, p))]
        if not roots:
            self.skipTest("python3-aiohttp/python3-trio are not installed")
        self.check(roots)


if __name__ == "__main__":
    unittest.main(verbosity=1)
