"""The guide's full shell commands are the oracle for asyncsweep's pipeline semantics.

`scripts/rg-parity` proves each rule's rg stage; the stages after it (`| grep -v X`,
`-A/-B ... | grep -L X`, `| wc -l`) are what exclude_line/exclude_path, unless_within and
kind = "inventory" encode. Here every rule whose `source` holds a pipeline has its command run
verbatim by bash in the root of each test tree (as the guide runs it, in the current
directory), and its output is compared with what a default-mode sweep (--min-score 0: nothing
hidden) reports for that rule, exit codes included. A pipeline of a shape this file does not
know fails the test, so a new one cannot go unchecked.

Deliberate differences (each checked to be the only reason for the entries it excuses):
- LC_ALL=C for bash: in a UTF-8 locale GNU grep prints "binary file matches" instead of a line
  with invalid UTF-8, which would hide the line rather than test it.
- ripgrep 13 (Debian 12) types py as *.py only; asyncsweep (and ripgrep 14) as *.py and *.pyi.
  An rg config file adds *.pyi, so the command itself stays verbatim (as in rg-parity).
- `grep -v '^PATTERN'`: rg prints `path:text` when it searches a directory, so an anchored
  pattern can never match as written; asyncsweep's exclude_line applies it to the line itself.
  Lines the guide keeps and asyncsweep drops must all match such an anchored pattern.
- `grep -v X` also sees the path; asyncsweep encodes that as exclude_path (no difference left).
- `-A/-B ... | grep -L X` is broken as written: grep -L reads the whole rg output as one file
  "(standard input)" and prints that name or nothing, for all matches at once (a match next to
  O_NONBLOCK silences every other match of the tree), and it also greps rg's path prefixes and
  `--` separators. So the command as written is checked only as a whole (it prints the name iff
  no window line or path holds X), and the intent, per match, is run with the guide's own grep
  stage on each match's window: lines max(1, L-B)..L+A of the file, which is the window rg's
  -B/-A print around the match (rg merges the windows of nearby matches in its output;
  asyncsweep judges each match by its own window).
- unless_within patterns beyond the guide's (`os\\.set_blocking`, the other way to set
  O_NONBLOCK): matches the guide keeps and asyncsweep drops must have one in their window.
"""
import collections
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, ROOT, stdlib_dir, tempdir, write_tree  # noqa: E402

GREP_L_NAME = b"(standard input)\n"

# Small trees for the edges of each pipeline stage (windows of 5 and 10 lines, paths, anchors).
FILLER = "x = 0\n"
EDGES = {
    # grep -v '__main__' on the line and on the path; '^if __name__' anchored on the line only.
    "runs.py": (
        "import asyncio\n"
        "asyncio.run(main())\n"
        "asyncio.run(main())  # not from __main__\n"
        "if __name__ == '__main__': asyncio.run(main())\n"
        "if __name__ != 'lib': asyncio.run(main())\n"
        "    if __name__ != 'lib': asyncio.run(main())\n"
        "x = 'asyncio.run(' \n"
    ),
    "pkg/__main__.py": "import asyncio\nasyncio.run(main())\n",
    "tools/not__main__dir/cli.py": "asyncio.run(cli())\n",
    "stubs/runner.pyi": "def go() -> None: asyncio.run(x())\n",
    # os.fdopen -B5 -A5: O_NONBLOCK 5 lines before (in), 6 before (out), 5 after (in), 6 after (out).
    "fd_before_in.py": "flags |= os.O_NONBLOCK\n" + FILLER * 4 + "f = os.fdopen(r)\n",
    "fd_before_out.py": "flags |= os.O_NONBLOCK\n" + FILLER * 5 + "f = os.fdopen(r)\n",
    "fd_after_in.py": "f = os.fdopen(r)\n" + FILLER * 4 + "os.set_flags(r, os.O_NONBLOCK)\n",
    "fd_after_out.py": "f = os.fdopen(r)\n" + FILLER * 5 + "os.set_flags(r, os.O_NONBLOCK)\n",
    # Two matches whose rg windows merge: O_NONBLOCK is in the second's window only.
    "fd_merged.py": "a = os.fdopen(r)\n" + FILLER * 2 + "b = os.fdopen(w)\n" + FILLER * 4 + "fl = os.O_NONBLOCK\n",
    # set_blocking: asyncsweep's extra unless_within pattern; a comment counts for both.
    "fd_set_blocking.py": "os.set_blocking(r, False)\nf = os.fdopen(r)\n",
    "fd_comment.py": "f = os.fdopen(r)  # O_NONBLOCK is set by the caller\n",
    # CRLF and no final newline at the window's end.
    "fd_crlf.py": b"f = os.fdopen(r)\r\nx = 0\r\nfl = os.O_NONBLOCK\r\n",
    "fd_eof.py": "f = os.fdopen(r)\nfl = os.O_NONBLOCK",
    # os.pipe() -A10 (no -B): O_NONBLOCK 10 lines after (in), 11 after (out), just before (out).
    "pipe_after_in.py": "r, w = os.pipe()\n" + FILLER * 9 + "fl = os.O_NONBLOCK\n",
    "pipe_after_out.py": "r, w = os.pipe()\n" + FILLER * 10 + "fl = os.O_NONBLOCK\n",
    "pipe_before.py": "fl = os.O_NONBLOCK\nr, w = os.pipe()\n",
    "pipe_set_blocking.py": "r, w = os.pipe()\nos.set_blocking(r, False)\n",
    "pipe_plain.py": "async def f():\n    r, w = os.pipe()\n",
    # Inventory counts: one line with two matches counts once; indented defs do not count.
    "inv.py": "async def a(): await x; await y\n  async def b():\n    await z\nasync def c(): pass\n",
}
# O_NONBLOCK in a path only: the commands as written stay silent (grep -L sees rg's path prefix).
EDGES_PATH = {"O_NONBLOCK_helpers/fd.py": "f = os.fdopen(r)\nr, w = os.pipe()\n"}
# No O_NONBLOCK anywhere: the grep -L command as written prints its "(standard input)".
EDGES_QUIET = {
    "a.py": "f = os.fdopen(r)\nr, w = os.pipe()\n",
    "b.py": "os.set_blocking(r, False)\nf = os.fdopen(r)\n",
}


def tree_roots():
    """The trees the oracle runs on; a missing one fails (scripts/test installs them)."""
    stdlib = stdlib_dir()
    roots = [os.path.join(ROOT, "tests", "fixtures", "labelled"), os.path.join(ROOT, "tests", "python", "oracle_fixtures"),
             os.path.join(stdlib, "asyncio"), os.path.join(stdlib, "test", "test_asyncio"),
             "/usr/lib/python3/dist-packages/trio", "/usr/lib/python3/dist-packages/aiohttp"]
    missing = [r for r in roots if not os.path.isdir(r)]
    if missing:
        raise AssertionError(f"test trees missing (libpython3.11-testsuite, python3-trio, python3-aiohttp): {missing}")
    return roots


class Pipeline:
    """One source command with a pipeline, split into its stages."""

    def __init__(self, rule, command):
        self.rule, self.command = rule, command
        words = shlex.split(command)
        if "&&" in words:
            words = words[words.index("&&") + 1:]
        stages, current = [], []
        for word in words:
            if word == "|":
                stages.append(current)
                current = []
            else:
                current.append(word)
        stages.append(current)
        self.rg, self.tail = stages[0], stages[1:]
        assert self.rg[0] == "rg", command
        if self.tail == [["wc", "-l"]]:
            self.shape = "count"
        elif all(len(s) == 3 and s[:2] == ["grep", "-v"] for s in self.tail):
            self.shape = "grep-v"
        elif len(self.tail) == 1 and self.tail[0][:2] == ["grep", "-L"] and len(self.tail[0]) == 3:
            self.shape = "grep-L"
        else:
            raise AssertionError(f"{rule['id']}: a pipeline this oracle does not know: {command}")
        self.patterns = [s[-1] for s in self.tail]

    def rg_flag(self, name):
        """The value of -A/-B in the rg stage (`-A5` or `-A 5`), 0 when absent."""
        for i, word in enumerate(self.rg):
            if word == name:
                return int(self.rg[i + 1])
            if word.startswith(name) and word[len(name):].isdigit():
                return int(word[len(name):])
        return 0


class Oracle(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        listing = subprocess.run([BIN, "rules", "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if listing.returncode != 0:
            raise AssertionError(f"asyncsweep rules exited {listing.returncode}: {listing.stderr.decode()}")
        cls.rules = {r["id"]: r for r in map(json.loads, listing.stdout.splitlines())}
        cls.pipelines = [Pipeline(r, c) for r in cls.rules.values() for c in r["source"]
                         if "|" in shlex.split(c)]
        cls.scratch = tempfile.TemporaryDirectory(prefix="asyncsweep-oracle-")
        cls.env = dict(os.environ, LC_ALL="C", RIPGREP_CONFIG_PATH=cls.rg_config(cls.scratch.name))
        cls.edges = [tempdir() for _ in range(3)]
        for edge, files in zip(cls.edges, (EDGES, EDGES_PATH, EDGES_QUIET)):
            write_tree(edge.name, files)
        cls.roots = tree_roots() + [e.name for e in cls.edges]
        cls.exercised = collections.Counter()

    @classmethod
    def tearDownClass(cls):
        for edge in cls.edges:
            edge.cleanup()
        cls.scratch.cleanup()

    @staticmethod
    def rg_config(directory):
        path = os.path.join(directory, "ripgreprc")
        types = subprocess.run(["rg", "--type-list"], stdout=subprocess.PIPE, check=True).stdout.decode()
        py = next(line for line in types.splitlines() if line.startswith("py:"))
        with open(path, "w") as handle:
            handle.write("" if "*.pyi" in py else "--type-add=py:*.pyi\n")
        return path

    def guide(self, pipeline, root):
        """Runs the command verbatim with bash in root: (stdout, the exit codes of its last pipeline)."""
        status = os.path.join(self.scratch.name, "status")
        script = f'{pipeline.command}\necho "${{PIPESTATUS[*]}}" > {shlex.quote(status)}\n'
        proc = subprocess.run(["bash", "-c", script], cwd=root, env=self.env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual((proc.returncode, proc.stderr), (0, b""), f"bash: {pipeline.command} in {root}")
        with open(status) as handle:
            codes = [int(c) for c in handle.read().split()]
        self.assertEqual(len(codes), 1 + len(pipeline.tail), pipeline.command)
        # rg: 0 matches, 1 none, 2 an error; grep: 0 a line selected, 1 none, 2 an error.
        self.assertIn(codes[0], (0, 1), f"rg failed in {root}: {pipeline.command}")
        for code, stage in zip(codes[1:], pipeline.tail):
            self.assertIn(code, (0,) if stage[0] == "wc" else (0, 1), f"{stage} failed in {root}")
        if codes[0] == 1:  # nothing matched: grep -v selects nothing, wc counts 0, grep -L names its empty input
            if pipeline.shape == "count":
                self.assertEqual(proc.stdout.splitlines()[1:], [b"0"], f"rg found nothing in {root}")
            else:
                self.assertEqual(proc.stdout, b"" if pipeline.shape == "grep-v" else GREP_L_NAME, root)
        if pipeline.shape == "grep-v":
            self.assertEqual(codes[-1] == 1, proc.stdout == b"", f"grep -v exit code vs its output in {root}")
        return proc.stdout, codes

    def sweep(self, root):
        """asyncsweep in root with no path operand, as the guide's commands run."""
        ids = sorted({p.rule["id"] for p in self.pipelines})
        proc = subprocess.run([BIN, "--isolated", "--select", ",".join(ids), "--min-score", "0", "--format", "json",
                               "--color", "never"], cwd=root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
        records = [json.loads(line) for line in proc.stdout.splitlines()]
        findings = [r for r in records if r["type"] == "finding"]
        # 1 findings, 0 none; 2 (an error) or a death by signal (negative) must not pass.
        self.assertEqual(proc.returncode, 1 if findings else 0, f"asyncsweep in {root}: {proc.stderr.decode()[-2000:]}")
        summary = records[-1]
        self.assertEqual(summary["type"], "summary")
        self.assertEqual((summary["errors"], summary["suppressed"], summary["baselined"]), ([], 0, 0), root)
        return findings, summary

    def rg_matches(self, pipeline, root):
        """(path, line) of every rg-stage match, from rg itself."""
        words = [w for w in pipeline.rg[1:] if not re.fullmatch(r"-[AB]\d*|\d+", w)]
        proc = subprocess.run(["rg", "--json", *words], cwd=root, env=self.env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertIn(proc.returncode, (0, 1), proc.stderr.decode())
        events = (json.loads(line) for line in proc.stdout.splitlines())
        return [(e["data"]["path"]["text"], e["data"]["line_number"]) for e in events if e["type"] == "match"]

    def test_pipelines_against_the_guide(self):
        self.assertEqual(sorted({p.shape for p in self.pipelines}), ["count", "grep-L", "grep-v"])
        for root in self.roots:
            findings, summary = self.sweep(root)
            for pipeline in self.pipelines:
                with self.subTest(rule=pipeline.rule["id"], root=root):
                    ours = [(f["path"], f["line"]) for f in findings if f["rule"] == pipeline.rule["id"]]
                    out, codes = self.guide(pipeline, root)
                    check = getattr(self, "check_" + pipeline.shape.replace("-", "_"))
                    check(pipeline, root, out, codes, ours, summary)
        # Every stage must keep and drop something somewhere, and every deliberate difference the
        # docstring lists must occur (on the edge trees at least), or it is not checked.
        wanted = {"count": ["counted"], "grep-v": ["kept", "dropped", "anchored pattern applied to the line"],
                  "grep-L": ["kept", "dropped", "extra unless_within pattern", "as written: silent",
                             "as written: names stdin", "as written: a path silences it"]}
        for pipeline in self.pipelines:
            for what in wanted[pipeline.shape]:
                self.assertGreater(self.exercised[pipeline.rule["id"], what], 0, f"{pipeline.rule['id']}: never {what}")
        print(", ".join(f"{rule} {what}: {n}" for (rule, what), n in sorted(self.exercised.items())), file=sys.stderr)

    def check_count(self, pipeline, root, out, codes, ours, summary):
        self.assertEqual(ours, [], "an inventory rule is counted, never reported")
        lines = out.splitlines()
        self.assertEqual(len(lines), 2, out)
        self.assertEqual(int(lines[1]), summary["inventory_lines"][pipeline.rule["id"]], root)
        self.exercised[pipeline.rule["id"], "counted"] += int(lines[1])

    def check_grep_v(self, pipeline, root, out, codes, ours, summary):
        theirs = collections.Counter(out.splitlines())
        rendered = collections.Counter(path.encode() + b":" + self.line_text(root, path, line) for path, line in ours)
        self.assertEqual(rendered - theirs, collections.Counter(), "asyncsweep reports what the guide drops")
        anchored = [re.compile(p.encode()) for p in pipeline.patterns if p.startswith("^")]
        for kept in theirs - rendered:
            text = kept.split(b":", 1)[1]
            self.assertTrue(any(a.search(text) for a in anchored), f"only the guide keeps {kept!r} in {root}")
            self.exercised[pipeline.rule["id"], "anchored pattern applied to the line"] += 1
        every = self.rg_matches(pipeline, root)
        self.exercised[pipeline.rule["id"], "kept"] += len(ours)
        self.exercised[pipeline.rule["id"], "dropped"] += len(every) - len(ours)

    def check_grep_L(self, pipeline, root, out, codes, ours, summary):
        self.assertIn(out, (b"", GREP_L_NAME), "grep -L on stdin prints its name or nothing")
        before, after, pattern = pipeline.rg_flag("-B"), pipeline.rg_flag("-A"), pipeline.patterns[0]
        extra = [re.compile(p.encode()) for p in pipeline.rule["unless_within"] if p != pattern]
        kept, windows = set(), {}
        matches = self.rg_matches(pipeline, root)
        self.assertEqual(codes[0] == 1, not matches, f"the guide's rg exit code vs rg --json in {root}")
        for path, line in matches:
            lines = self.file_lines(root, path)
            window = b"".join(lines[max(0, line - 1 - before):line + after])
            windows[path, line] = window
            grep = subprocess.run(["grep", "-L", pattern], input=window, env=self.env, stdout=subprocess.PIPE)
            self.assertIn(grep.returncode, (0, 1))
            if grep.stdout == GREP_L_NAME:
                kept.add((path, line))
        self.assertEqual(set(ours) - kept, set(), f"asyncsweep keeps what the guide's grep -L drops in {root}")
        for path, line in kept - set(ours):
            self.assertTrue(any(e.search(windows[path, line]) for e in extra), f"only the guide keeps {path}:{line}")
            self.exercised[pipeline.rule["id"], "extra unless_within pattern"] += 1
        # The command as written: the name iff no line of rg's output (windows and paths) holds X.
        silent = [k for k in windows if k not in kept or re.search(pattern, k[0])]
        self.assertEqual(out == GREP_L_NAME, not silent, f"{pipeline.command} as written in {root}")
        self.exercised[pipeline.rule["id"], "as written: silent" if silent else "as written: names stdin"] += 1
        if silent and all(re.search(pattern, path) for path, _ in silent):
            self.exercised[pipeline.rule["id"], "as written: a path silences it"] += 1
        self.exercised[pipeline.rule["id"], "kept"] += len(ours)
        self.exercised[pipeline.rule["id"], "dropped"] += len(windows) - len(ours)

    @staticmethod
    def file_lines(root, path):
        """rg's lines: \\n-terminated (a \\r stays in the line), the last one maybe unterminated."""
        with open(os.path.join(root, path), "rb") as handle:
            parts = handle.read().split(b"\n")
        lines = [p + b"\n" for p in parts[:-1]]
        return lines + ([parts[-1]] if parts[-1] else [])

    def line_text(self, root, path, line):
        return self.file_lines(root, path)[line - 1].rstrip(b"\n")


if __name__ == "__main__":
    unittest.main(verbosity=1)
