"""--changed-since and --changed-lines end to end, on small git repositories built here: a
branch whose merge base is behind main's tip, a rename, a deletion, staged, unstaged and
untracked changes, an ignored file, quoted and spaced names. The oracle is the full sweep's
findings kept where difflib (not git) says the working tree added or changed a line since the
merge base; the same change handed over as a diff (--changed-lines) must give the same result.
Errors: a shallow clone without the merge base, an unknown REF, not a repository, a malformed
diff, options that cannot go together; each exits 2 having swept nothing."""
import difflib
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run, tempdir, write_tree  # noqa: E402


def sleeper(name, seconds):
    return f"\nasync def {name}():\n    time.sleep({seconds})\n"


HEAD = "import asyncio\nimport time\n"
BASE_FILES = {
    ".gitignore": "build/\n",
    "pkg/__init__.py": "",
    "pkg/keep.py": HEAD + sleeper("keep", 1) + sleeper("keep_too", 2),
    "pkg/edit.py": HEAD + sleeper("one", 1) + sleeper("two", 2),
    "pkg/old_name.py": HEAD + sleeper("moved", 1) + "\n# filler 1\n# filler 2\n# filler 3\n# filler 4\n",
    "pkg/gone.py": HEAD + sleeper("gone", 1) + "".join(f"# gone {n}\n" for n in range(12)),
    "pkg/staged.py": HEAD + sleeper("staged", 1),
    "pkg/unstaged.py": HEAD + sleeper("unstaged", 1),
    "pkg/no_newline.py": HEAD + sleeper("last", 1).rstrip("\n"),  # git: "\\ No newline at end of file"
}
RENAMES = {"pkg/new_name.py": "pkg/old_name.py"}


class Repo:
    """A repository in `base`: main with two commits, feature branched from the first."""

    def __init__(self, base):
        self.base = base
        self.top = os.path.join(base, "repo")
        self.env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=base, XDG_CONFIG_HOME=base,
                        GIT_CONFIG_GLOBAL=os.path.join(base, "gitconfig"), LC_ALL="C")
        self.env.pop("GIT_DIR", None)
        self.env.pop("GIT_WORK_TREE", None)

    def git(self, *args, cwd=None, check=True):
        proc = subprocess.run(["git", *args], cwd=cwd or self.top, env=self.env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, check=False)
        if check and proc.returncode != 0:
            raise AssertionError(f"git {args}: {proc.stderr.decode()}")
        return proc.stdout

    def build(self):
        os.makedirs(self.top)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Test")
        self.git("config", "user.email", "test@example.com")
        write_tree(self.top, BASE_FILES)
        self.git("add", "-A")
        self.git("commit", "-qm", "base")
        self.base_commit = self.git("rev-parse", "HEAD").decode().strip()
        # main moves on: keep.py loses a line. Diffing against main's tip (not the merge base)
        # would show that line as added on the branch.
        self.git("checkout", "-qb", "feature")
        self.git("checkout", "-q", "main")
        write_tree(self.top, {"pkg/keep.py": HEAD + sleeper("keep", 1)})
        self.git("commit", "-qam", "main moves on")
        self.git("checkout", "-q", "feature")
        # Committed on the branch: an edit, a rename with an edit, a deletion, new odd names.
        write_tree(self.top, {"pkg/edit.py": BASE_FILES["pkg/edit.py"] + sleeper("three", 3)})
        self.git("mv", "pkg/old_name.py", "pkg/new_name.py")
        write_tree(self.top, {"pkg/new_name.py": BASE_FILES["pkg/old_name.py"] + sleeper("renamed", 5)})
        self.git("rm", "-q", "pkg/gone.py")
        write_tree(self.top, {"pkg/no_newline.py": BASE_FILES["pkg/no_newline.py"] + sleeper("after", 4).rstrip("\n")})
        write_tree(self.top, {"pkg/with space.py": HEAD + sleeper("spaced", 1),
                              "pkg/caf\u00e9.py": "import time\n" + sleeper("quoted", 7)})
        self.git("add", "-A")
        self.git("commit", "-qm", "feature")
        # Staged, unstaged, untracked, and an ignored file that must never show.
        write_tree(self.top, {"pkg/staged.py": BASE_FILES["pkg/staged.py"] + sleeper("staged_too", 2)})
        self.git("add", "pkg/staged.py")
        write_tree(self.top, {"pkg/unstaged.py": HEAD + sleeper("unstaged", 9)})
        write_tree(self.top, {"pkg/fresh.py": HEAD + sleeper("fresh", 1),
                              "build/ignored.py": HEAD + sleeper("ignored", 1)})

    def changed_lines(self):
        """{path: set of new line numbers} by difflib: the working tree against the merge base."""
        changed = {}
        for directory, dirs, files in os.walk(self.top):
            dirs[:] = [d for d in dirs if d not in (".git", "build")]
            for name in files:
                path = os.path.relpath(os.path.join(directory, name), self.top)
                with open(os.path.join(self.top, path), encoding="utf-8") as handle:
                    # Lines with their ends, as a diff compares them: a last line that gains
                    # its newline is a changed line.
                    new = handle.read().splitlines(keepends=True)
                old_path = RENAMES.get(path, path)
                shown = subprocess.run(["git", "show", f"{self.base_commit}:{old_path}"], cwd=self.top,
                                       env=self.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
                old = shown.stdout.decode().splitlines(keepends=True) if shown.returncode == 0 else []
                lines = set()
                for tag, _, _, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
                    if tag in ("replace", "insert"):
                        lines.update(range(j1 + 1, j2 + 1))
                if lines:
                    changed[path] = lines
        return changed

    def diff_text(self):
        """The same change as one unified diff: git diff against the merge base, then each
        untracked file against /dev/null."""
        text = self.git("diff", self.base_commit, "--")
        for path in self.git("ls-files", "--others", "--exclude-standard", "-z").decode().split("\0"):
            if path:
                text += self.git("diff", "--no-index", "--", "/dev/null", path, check=False)
        return text


def sweep(*args, cwd, env, stdin=subprocess.DEVNULL, expect=(0, 1)):
    code, out, err = run("--format", "json", "--sort", "path", *args, cwd=cwd, env=env, stdin=stdin, expect=expect)
    records = [json.loads(line) for line in out.splitlines()]
    findings = [(r["path"], r["line"], r["end_line"], r["rule"]) for r in records if r["type"] == "finding"]
    return findings, records[-1], err


def intersects(changed, finding, prefix=""):
    path, line, end_line, _ = finding
    lines = changed.get(prefix + path, set())
    return any(n in lines for n in range(line, end_line + 1))


class ChangedLinesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempdir()
        cls.repo = Repo(cls.tmp.name)
        cls.repo.build()
        cls.env = cls.repo.env
        cls.changed = cls.repo.changed_lines()
        cls.full, _, _ = sweep(cwd=cls.repo.top, env=cls.env)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def expected(self):
        return [f for f in self.full if intersects(self.changed, f)]

    def test_findings_on_changed_lines_since_the_merge_base(self):
        findings, summary, _ = sweep("--changed-since", "main", cwd=self.repo.top, env=self.env)
        self.assertEqual(findings, self.expected())
        # What that means here, spelled out: only the lines the branch and work tree added.
        self.assertEqual(sorted({f[0] for f in findings}),
                         ["pkg/caf\u00e9.py", "pkg/edit.py", "pkg/fresh.py", "pkg/new_name.py", "pkg/no_newline.py",
                          "pkg/staged.py", "pkg/unstaged.py", "pkg/with space.py"])
        self.assertEqual([f[1] for f in findings if f[0] == "pkg/edit.py"], [11])
        self.assertEqual([f[1] for f in findings if f[0] == "pkg/new_name.py"], [13])
        in_changed_files = [f for f in self.full if f[0] in self.changed]
        self.assertEqual(summary["outside_change"], len(in_changed_files) - len(findings))
        self.assertGreater(summary["outside_change"], 0)
        # Unchanged files are not read: only the changed Python files were scanned.
        self.assertEqual(summary["files_scanned"], len([p for p in self.changed if p.endswith(".py")]))

    def test_the_same_change_as_a_diff_gives_the_same_findings(self):
        by_git, summary_git, _ = sweep("--changed-since", "main", cwd=self.repo.top, env=self.env)
        diff = os.path.join(self.tmp.name, "change.diff")
        with open(diff, "wb") as handle:
            handle.write(self.repo.diff_text())
        by_file, summary_file, _ = sweep("--changed-lines", diff, cwd=self.repo.top, env=self.env)
        with open(diff, "rb") as handle:
            by_stdin, _, _ = sweep("--changed-lines", "-", cwd=self.repo.top, env=self.env, stdin=handle)
        self.assertEqual(by_file, by_git)
        self.assertEqual(by_stdin, by_git)
        self.assertEqual(summary_file["outside_change"], summary_git["outside_change"])

    def test_roots_and_working_directory_map_to_the_walkers_paths(self):
        in_pkg, _, _ = sweep("--changed-since", "main", cwd=os.path.join(self.repo.top, "pkg"), env=self.env)
        self.assertEqual(in_pkg, [(f[0][len("pkg/"):],) + f[1:] for f in self.expected()])
        one_file, _, _ = sweep("--changed-since", "main", "pkg/edit.py", "pkg/keep.py", cwd=self.repo.top,
                               env=self.env)
        self.assertEqual(one_file, [f for f in self.expected() if f[0] == "pkg/edit.py"])

    def test_every_format_counts_the_findings_outside_the_change(self):
        outside = sweep("--changed-since", "main", cwd=self.repo.top, env=self.env)[1]["outside_change"]
        texts = {}
        for fmt in ("text", "markdown", "github", "sarif"):
            _, out, _ = run("--changed-since", "main", "--format", fmt, cwd=self.repo.top, env=self.env,
                            expect=1)
            texts[fmt] = out.decode()
        self.assertIn(f"; {outside} outside the change", texts["text"])
        self.assertIn(f"{outside} outside the change", texts["markdown"])
        self.assertIn(f"::notice title=asyncsweep::{outside} findings outside the change", texts["github"])
        self.assertEqual(json.loads(texts["sarif"])["runs"][0]["properties"]["outsideChange"], outside)

    def test_shallow_clone_without_merge_base_says_how_to_fetch(self):
        clone = os.path.join(self.tmp.name, "shallow")
        self.repo.git("clone", "-q", "--depth", "1", "--no-single-branch", "--branch", "feature",
                      "file://" + self.repo.top, clone, cwd=self.tmp.name)
        code, out, err = run("--changed-since", "origin/main", cwd=clone, env=self.env, expect=2)
        self.assertEqual(out, b"")
        self.assertIn("asyncsweep: error: --changed-since: 'origin/main' and HEAD have no merge base in this "
                      "shallow clone", err)
        self.assertIn("git fetch --unshallow", err)
        self.assertIn("`git fetch origin main --depth=N`", err)  # the remote, then its branch
        self.repo.git("fetch", "-q", "--unshallow", cwd=clone)
        findings, _, _ = sweep("--changed-since", "origin/main", cwd=clone, env=self.env)
        committed = {"pkg/edit.py", "pkg/new_name.py", "pkg/with space.py", "pkg/caf\u00e9.py", "pkg/no_newline.py"}
        self.assertEqual(findings, [f for f in self.expected() if f[0] in committed])

    def test_errors_exit_2_having_swept_nothing(self):
        bad = os.path.join(self.tmp.name, "bad.diff")
        with open(bad, "w") as handle:
            handle.write("--- a/pkg/edit.py\n+++ b/pkg/edit.py\n@@ -1 +one @@\n")
        not_repo = os.path.join(self.tmp.name, "plain")
        write_tree(not_repo, {"x.py": HEAD + sleeper("x", 1)})
        other_repo = os.path.join(self.tmp.name, "other")
        write_tree(other_repo, {"y.py": HEAD + sleeper("y", 1)})
        self.repo.git("init", "-q", cwd=other_repo)
        stat = os.path.join(self.tmp.name, "stat.txt")
        with open(stat, "wb") as handle:
            handle.write(self.repo.git("diff", "--stat", self.repo.base_commit))
        cases = [
            (("--changed-since", ""), self.repo.top,
             "asyncsweep: error: --changed-since: needs a revision"),
            # Every root must lie in the one repository the change is measured in.
            (("--changed-since", "main", ".", not_repo), self.repo.top,
             f"asyncsweep: error: --changed-since needs a git work tree, and {not_repo} is not in one"),
            (("--changed-since", "main", ".", other_repo), self.repo.top,
             f"asyncsweep: error: --changed-since: . and {other_repo} lie in different git work trees"),
            (("--changed-lines", stat), self.repo.top,
             f"asyncsweep: error: {stat}:1: malformed diff: no `--- a/PATH` / `+++ b/PATH` file header"),
            (("--changed-since", "no-such-branch"), self.repo.top,
             "asyncsweep: error: --changed-since: unknown git revision 'no-such-branch'"),
            (("--changed-since", "main"), not_repo,
             f"asyncsweep: error: --changed-since needs a git work tree, and {not_repo} is not in one"),
            (("--changed-lines", bad), self.repo.top,
             f"asyncsweep: error: {bad}:3: malformed diff: bad hunk header `@@ -1 +one @@`"),
            (("--changed-lines", bad, "--changed-since", "main"), self.repo.top,
             "asyncsweep: error: --changed-since and --changed-lines both say what changed"),
            (("--changed-since", "main", "--shard", "0/2"), self.repo.top,
             "asyncsweep: error: --changed-since cannot go with --shard"),
            (("--changed-since", "main", "-"), self.repo.top,
             "asyncsweep: error: --changed-since names changed files; standard input (-) is not one"),
        ]
        for args, cwd, message in cases:
            with self.subTest(args=args):
                _, out, err = run(*args, cwd=cwd, env=self.env, expect=2)
                self.assertEqual(out, b"")
                self.assertTrue(err.startswith(message), err)


if __name__ == "__main__":
    unittest.main()
