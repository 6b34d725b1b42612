"""--fix, --diff and --fix-only (issue #16, part 2).

On copies of real files (the stdlib's asyncio tests and Debian's asyncio packages, chosen by
sweeping them, never by typing lines): --diff applies with `patch -p1` to exactly what --fix
writes, every fixed file still parses with CPython's ast, every changed line is one of the three
fixes (all other bytes kept), and a second --fix changes nothing. On small hand trees: each fix,
each case that must not be fixed, CRLF/BOM/Latin-1 files, and every refusal (a symbolic link, a
file outside the roots, a file changed between read and write, standard input, a shard)."""
import ast
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, ROOT, check_exit, run, stdlib_dir, tempdir, write_tree  # noqa: E402

DIST = "/usr/lib/python3/dist-packages"
REAL_ROOTS = [os.path.join(stdlib_dir(), "test", "test_asyncio")] + [
    os.path.join(DIST, name) for name in ("aiohttp", "anyio", "trio", "asyncssh", "aiosmtpd")]

# What a fix may do to one line (or, for the marker, the line removed): anything else changed
# is a byte the fixes had no business touching.
LOOP = re.compile(r"\b(\w+)\.get_event_loop\(\)")
SLEEP = re.compile(r"^(\s*)(?:[\w.]*\.)?sleep\(")


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


def one_fix(old, new):
    """Whether `new` is `old` with one kind of fix applied (at most once per fix on the line)."""
    if LOOP.sub(r"\1.get_running_loop()", old) == new:
        return True
    m = SLEEP.match(old)
    return bool(m) and re.sub(r"^(\s*)(?:[\w.]*\.)?sleep\(", r"\1await " + r"LIB.sleep(", old) == \
        re.sub(r"^(\s*)await (asyncio|trio|anyio|\w+)\.sleep\(", r"\1await LIB.sleep(", new)


class RealFilesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempdir()
        cls.base = cls.tmp.name
        roots = [r for r in REAL_ROOTS if os.path.isdir(r)]
        # The files with fixes, found by sweeping the real trees.
        _, out, _ = run("--format", "json", *roots, expect=(0, 1))
        records = [json.loads(line) for line in out.splitlines()]
        paths = sorted({r["path"] for r in records if r["type"] == "finding" and "fix" in r})
        cls.fixes_found = sum(1 for r in records if r["type"] == "finding" and "fix" in r)
        cls.copies = {}
        for i, path in enumerate(paths):
            rel = os.path.join("real", f"{i:02d}", os.path.basename(path))
            os.makedirs(os.path.join(cls.base, os.path.dirname(rel)))
            shutil.copyfile(path, os.path.join(cls.base, rel))
            cls.copies[rel] = read(path)
        shutil.copytree(os.path.join(cls.base, "real"), os.path.join(cls.base, "patched", "real"))
        cls.diff_code, cls.diff, cls.diff_err = run("--diff", "real", cwd=cls.base, expect=(0, 1))
        cls.fix_code, cls.fix_out, cls.fix_err = run("--fix", "real", cwd=cls.base, expect=(0, 1))
        cls.fixed = {rel: read(os.path.join(cls.base, rel)) for rel in cls.copies}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_real_trees_have_fixes(self):
        self.assertGreaterEqual(len(self.copies), 5, "the stdlib and aiohttp have fixable findings")
        self.assertEqual(self.diff_code, 1, "--diff exits 1 when there is something to fix")
        self.assertIn(f"{self.fixes_found} fixes would be applied", self.diff_err)
        self.assertIn(f"; {self.fixes_found} fixed", self.fix_out.decode())

    def test_diff_applies_with_patch_to_exactly_the_fixed_files(self):
        patch = subprocess.run(["patch", "-p1", "--batch", "--quiet"], input=self.diff,
                               cwd=os.path.join(self.base, "patched"), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
        self.assertEqual(patch.returncode, 0, patch.stdout.decode(errors="replace"))
        for rel, fixed in self.fixed.items():
            with self.subTest(path=rel):
                self.assertEqual(read(os.path.join(self.base, "patched", rel)), fixed)

    def test_fixed_files_parse_and_change_only_by_the_fixes(self):
        changed = 0
        for rel, old in self.copies.items():
            new = self.fixed[rel]
            with self.subTest(path=rel):
                ast.parse(new, filename=rel)
                old_lines, new_lines = old.decode("latin-1").splitlines(True), new.decode("latin-1").splitlines(True)
                for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
                    if tag == "equal":
                        continue
                    changed += 1
                    if tag == "delete":
                        self.assertTrue(all(line.strip() == "@pytest.mark.asyncio" for line in old_lines[i1:i2]),
                                        old_lines[i1:i2])
                        continue
                    self.assertEqual(tag, "replace")
                    self.assertEqual(i2 - i1, j2 - j1, (old_lines[i1:i2], new_lines[j1:j2]))
                    for a, b in zip(old_lines[i1:i2], new_lines[j1:j2]):
                        self.assertTrue(one_fix(a, b), (a, b))
        self.assertGreater(changed, 0)

    def test_a_second_fix_changes_nothing(self):
        code, out, _ = run("--fix", "real", cwd=self.base, expect=(0, 1))
        for rel, fixed in self.fixed.items():
            self.assertEqual(read(os.path.join(self.base, rel)), fixed, rel)
        self.assertNotIn(" fixed", out.decode().splitlines()[-1])
        code, out, err = run("--diff", "real", cwd=self.base, expect=0)
        self.assertEqual(out, b"")


AUTO = "[pytest]\nasyncio_mode = auto\n"
HAND = {
    "auto/pytest.ini": AUTO,
    "auto/test_mark.py": "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n\n\n"
                         "@pytest.mark.asyncio  # keep: a comment\nasync def test_b():\n    pass\n",
    "strict/pytest.ini": "[pytest]\nasyncio_mode = strict\n",
    "strict/test_mark.py": "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n",
    "alias.py": "import asyncio as aio\nimport time as t\n\n\nasync def f():\n    t.sleep(1)\n    return aio.get_running_loop()\n",
    "from_import.py": "import trio\nfrom time import sleep\n\n\nasync def f():\n    sleep(2)\n",
    "nested.py": "import asyncio\nimport time\n\n\nasync def f():\n    def g():\n        time.sleep(1)\n"
                 "        return asyncio.get_event_loop()\n    return g\n",
    "suppressed.py": "import asyncio\nimport time\n\n\nasync def f():\n    time.sleep(1)  # noqa: ASYNC251\n"
                     "    asyncio.get_event_loop()  # asyncsweep: ignore\n",
    "other.py": "import asyncio\n\n\nasync def f():\n    return open('x').read()\n",  # no fix for open()
    "crlf.py": b"import asyncio\r\nimport time\r\n\r\n\r\nasync def f():\r\n    time.sleep(1)\r\n"
               b"    return asyncio.get_event_loop()\r\n",
    "bom.py": b"\xef\xbb\xbfimport asyncio\n\n\nasync def f():\n    return asyncio.get_event_loop()  # \xc3\xa9t\xc3\xa9\n",
    "latin1.py": b"# -*- coding: latin-1 -*-\nimport asyncio\nimport time\n\n\nasync def f():\n"
                 b"    time.sleep(1)  # caf\xe9\n    return '\xe9t\xe9'\n",
}
EXPECTED = {
    "auto/test_mark.py": b"import pytest\n\n\nasync def test_a():\n    pass\n\n\n"
                         b"@pytest.mark.asyncio  # keep: a comment\nasync def test_b():\n    pass\n",
    "alias.py": b"import asyncio as aio\nimport time as t\n\n\nasync def f():\n    await aio.sleep(1)\n"
                b"    return aio.get_running_loop()\n",
    "from_import.py": b"import trio\nfrom time import sleep\n\n\nasync def f():\n    await trio.sleep(2)\n",
    "crlf.py": b"import asyncio\r\nimport time\r\n\r\n\r\nasync def f():\r\n    await asyncio.sleep(1)\r\n"
               b"    return asyncio.get_running_loop()\r\n",
    "bom.py": b"\xef\xbb\xbfimport asyncio\n\n\nasync def f():\n    return asyncio.get_running_loop()  # \xc3\xa9t\xc3\xa9\n",
    "latin1.py": b"# -*- coding: latin-1 -*-\nimport asyncio\nimport time\n\n\nasync def f():\n"
                 b"    await asyncio.sleep(1)  # caf\xe9\n    return '\xe9t\xe9'\n",
}


def as_bytes(content):
    return content if isinstance(content, bytes) else content.encode()


class HandTreeTest(unittest.TestCase):
    def test_each_fix_and_each_case_left_alone(self):
        with tempdir() as base:
            write_tree(base, {f"tree/{k}": v for k, v in HAND.items()})
            os.chmod(os.path.join(base, "tree", "alias.py"), 0o754)
            _, out, _ = run("--diff", "tree", cwd=base, expect=1)
            code, report, err = run("--fix", "tree", cwd=base, expect=1)
            for rel, content in HAND.items():
                with self.subTest(path=rel):
                    got = read(os.path.join(base, "tree", rel))
                    self.assertEqual(got, EXPECTED.get(rel, as_bytes(content)))
                    if rel.endswith(".py"):
                        ast.parse(got)
            self.assertEqual(os.stat(os.path.join(base, "tree", "alias.py")).st_mode & 0o777, 0o754)
            self.assertEqual(sorted(os.listdir(os.path.join(base, "tree"))), sorted(
                {rel.split("/")[0] for rel in HAND}), "no temporary file is left behind")
            # What remains is reported where it is now, and is not fixable.
            text = report.decode()
            self.assertIn("; 7 fixed", text)
            self.assertNotIn("[*]", text)
            self.assertIn("tree/nested.py:8:16: [ASW040] asyncio", text)
            # --diff said the same: applied with patch to the original, it gives the fixed tree.
            write_tree(base, {f"copy/tree/{k}": v for k, v in HAND.items()})
            patch = subprocess.run(["patch", "-p1", "--batch", "--quiet"], input=out, cwd=os.path.join(base, "copy"),
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            self.assertEqual(patch.returncode, 0, patch.stdout)
            for rel in HAND:
                self.assertEqual(read(os.path.join(base, "copy", "tree", rel)), read(os.path.join(base, "tree", rel)), rel)

    def test_reports_mark_fixable_findings_in_every_format(self):
        with tempdir() as base:
            write_tree(base, {"alias.py": HAND["alias.py"], "nested.py": HAND["nested.py"], "bom.py": HAND["bom.py"]})
            _, out, _ = run(".", cwd=base, expect=1)
            text = out.decode()
            self.assertRegex(text, r"alias\.py:6:5: \[ASW106\] \[\*\] time")
            self.assertRegex(text, r"nested\.py:8:16: \[ASW040\] asyncio")
            self.assertIn("2 fixable (run with --fix)", text)
            _, out, _ = run(".", "--format", "json", cwd=base, expect=1)
            records = [json.loads(line) for line in out.splitlines()]
            fix = next(r["fix"] for r in records if r.get("rule") == "ASW040" and r["path"].endswith("bom.py"))
            self.assertEqual(fix["applicability"], "safe")
            # Byte columns, as the finding's own: "    return asyncio." is 19 bytes.
            self.assertEqual(fix["edits"], [{"content": "get_running_loop", "location": {"row": 5, "column": 20},
                                             "end_location": {"row": 5, "column": 34}}])
            self.assertFalse(any("fix" in r for r in records if r.get("path", "").endswith("nested.py")))
            self.assertEqual(records[-1]["fixable"], 2)
            sarif = os.path.join(base, "out.sarif")
            run(".", "--format", "sarif", "-o", sarif, cwd=base, expect=1)
            with open(sarif) as handle:
                results = json.load(handle)["runs"][0]["results"]
            fixes = [r["fixes"] for r in results if "fixes" in r]
            self.assertEqual(len(fixes), 2)
            region = next(f[0]["artifactChanges"][0]["replacements"][0] for f in fixes
                          if f[0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "get_running_loop")
            self.assertEqual(region["deletedRegion"], {"startLine": 5, "startColumn": 20, "endLine": 5, "endColumn": 34})
            check = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tests", "e2e", "sarif_check.py"), sarif],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            self.assertEqual(check.returncode, 0, check.stdout.decode())
            # The pull-request formats say so too: the checklist item, the annotation's message.
            _, out, _ = run(".", "--format", "markdown", cwd=base, expect=1)
            items = [line for line in out.decode().splitlines() if line.startswith("- [ ] ")]
            self.assertEqual(sum("fixable with `--fix`" in line for line in items), 2, items)
            self.assertFalse(any("nested.py" in line and "fixable" in line for line in items))
            _, out, _ = run(".", "--format", "github", cwd=base, expect=1)
            annotations = out.decode().splitlines()
            self.assertEqual(sum("Fixable with --fix" in line for line in annotations), 2, annotations)

    def test_explain_says_fixable_for_the_rules_with_fixes(self):
        with tempdir() as base:
            write_tree(base, HAND)
            _, out, _ = run(".", "--format", "json", cwd=base, expect=1)
            records = [json.loads(line) for line in out.splitlines()]
            fixed_rules = {r["rule"] for r in records if "fix" in r}
            unfixed_rules = {r["rule"] for r in records if r["type"] == "finding"} - fixed_rules
            self.assertEqual(len(fixed_rules), 3, fixed_rules)
            self.assertTrue(unfixed_rules)
            for rule in sorted(fixed_rules) + sorted(unfixed_rules)[:1]:
                with self.subTest(rule=rule):
                    _, out, _ = run("explain", rule, "--format", "json", expect=0)
                    self.assertEqual(json.loads(out)["fixable"], rule in fixed_rules)

    def test_a_file_named_twice_is_fixed_once(self):
        # Two roots, or two spellings of one, sweep a file twice: its fixes must apply once.
        source = HAND["alias.py"]
        for roots in (["sub/alias.py", "sub/alias.py"], ["sub", "sub"], [".", "sub", "./sub/alias.py"]):
            with self.subTest(roots=roots), tempdir() as base, tempdir() as copy:
                write_tree(base, {"sub/alias.py": source})
                write_tree(copy, {"sub/alias.py": source})
                _, diff, _ = run("--diff", *roots, cwd=base, expect=1)
                run("--fix", *roots, cwd=base, expect=(0, 1))
                self.assertEqual(read(os.path.join(base, "sub", "alias.py")), EXPECTED["alias.py"])
                patch = subprocess.run(["patch", "-p1", "--batch", "--quiet"], input=diff, cwd=copy,
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                self.assertEqual(patch.returncode, 0, patch.stdout)
                self.assertEqual(read(os.path.join(copy, "sub", "alias.py")), EXPECTED["alias.py"])

    def test_fix_only_prints_the_counts_and_exits_0(self):
        with tempdir() as base:
            write_tree(base, {"alias.py": HAND["alias.py"], "nested.py": HAND["nested.py"]})
            _, out, _ = run("--fix-only", ".", cwd=base, expect=0)
            self.assertEqual(out.decode(), "1 fixed in 1 file, 1 finding remaining\n")
            self.assertEqual(read(os.path.join(base, "alias.py")), EXPECTED["alias.py"])


class RefusalTest(unittest.TestCase):
    FILE = "import asyncio\n\n\nasync def f():\n    asyncio.get_event_loop()\n"

    def test_a_symbolic_link_is_never_written_through(self):
        with tempdir() as base:
            write_tree(base, {"outside/real.py": self.FILE, "root/own.py": self.FILE})
            os.symlink("../outside/real.py", os.path.join(base, "root", "link.py"))
            os.symlink("../outside", os.path.join(base, "root", "dir"))
            # Named on the command line: the link itself is refused.
            _, _, err = run("--fix", "root/link.py", cwd=base, expect=2)
            self.assertIn("root/link.py: is a symbolic link: not fixed", err)
            # --diff never offers a patch --fix would refuse.
            _, patch, err = run("--diff", "root/link.py", cwd=base, expect=2)
            self.assertEqual(patch, b"")
            self.assertIn("root/link.py: is a symbolic link: not fixed", err)
            self.assertNotIn("run with --fix", err)
            _, patch, err = run("--diff", "-L", "root", cwd=base, expect=2)
            self.assertIn("root/dir/real.py: lies outside the paths swept", err)
            self.assertIn(b"+++ b/root/own.py", patch)
            self.assertNotIn(b"real.py", patch)
            self.assertNotIn(b"link.py", patch)
            # Followed with -L: the directory link leads out of the root.
            _, out, err = run("--fix", "-L", "root", cwd=base, expect=2)
            self.assertIn("root/dir/real.py: lies outside the paths swept", err)
            self.assertIn("root/link.py: is a symbolic link: not fixed", err)
            self.assertEqual(read(os.path.join(base, "outside", "real.py")), self.FILE.encode())
            self.assertIn(b"get_running_loop", read(os.path.join(base, "root", "own.py")))

    def test_a_file_changed_since_it_was_read_is_not_written(self):
        with tempdir() as base:
            write_tree(base, {"a.py": self.FILE})
            env = dict(os.environ, ASYNCSWEEP_TEST_PAUSE_BEFORE_FIX="1")
            proc = subprocess.Popen([BIN, "--fix", "a.py"], cwd=base, env=env, stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            line = proc.stderr.readline().decode()
            self.assertIn("about to re-read a.py", line)
            with open(os.path.join(base, "a.py"), "a") as handle:
                handle.write("# edited meanwhile\n")
            out, err = proc.communicate(b"\n", timeout=60)
            check_exit(proc.returncode, 2, "asyncsweep --fix", err.decode())
            self.assertIn("a.py: changed since it was read: not fixed", err.decode())
            self.assertEqual(read(os.path.join(base, "a.py")), (self.FILE + "# edited meanwhile\n").encode())
            self.assertIn(b"[*]", out)  # still fixable: nothing was written

    def test_what_cannot_be_fixed_is_refused_before_sweeping(self):
        with tempdir() as base:
            write_tree(base, {"a.py": self.FILE})
            for args, message in ((["--fix", "-"], "--fix cannot write standard input"),
                                  (["--diff", "--shard", "0/2", "."], "--diff cannot go with --shard"),
                                  (["--fix-only", "--seed-exact", "."], "--fix-only cannot go with --seed-exact")):
                with self.subTest(args=args):
                    _, out, err = run(*args, cwd=base, expect=2)
                    self.assertIn(message, err)
            self.assertEqual(read(os.path.join(base, "a.py")), self.FILE.encode())


if __name__ == "__main__":
    unittest.main()
