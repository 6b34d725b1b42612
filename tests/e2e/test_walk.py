"""The walk, differentially against rg: on generated trees with nested .gitignore/.ignore
files, hidden entries, nested repositories, globs and symlinks, the files asyncsweep would
search (`--files`) are exactly the files `rg --files` lists with the same flags."""
import os
import random
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, check_exit, generated_cases, run, tempdir, write_tree  # noqa: E402


def rg_type_args():
    listing = subprocess.run(["rg", "--type-list"], stdout=subprocess.PIPE, check=True, stdin=subprocess.DEVNULL)
    for line in listing.stdout.decode().splitlines():
        if line.startswith("py:") and "*.pyi" not in line:
            return ["--type-add", "py:*.pyi"]
    return []


RG_TYPE = rg_type_args()
NAMES = ["a", "b", "build", "dist", "src", "tests", "node_modules", ".cache", ".venv", "pkg"]
FILES = ["m.py", "t.pyi", "gen.py", ".hidden.py", "x.txt", "conf.toml", "pytest.ini", "pyproject.toml", "debug.log"]
PATTERNS = ["*.log", "build/", "/dist", "gen.py", "!gen.py", "src/*.pyi", "**/tests/*.py", "*.py[io]",
            ".cache", "!keep.py", "pkg/**", "a/b/", "\\#x", "node_modules", "!*.txt", "*", "!*/", "t.*"]


def random_tree(rng, base):
    files = {}
    dirs = [""]
    for _ in range(rng.randint(3, 12)):
        parent = rng.choice(dirs)
        d = os.path.join(parent, rng.choice(NAMES))
        if d.count("/") < 3 and d not in dirs:
            dirs.append(d)
    for d in dirs:
        for name in rng.sample(FILES, rng.randint(1, 5)):
            files[os.path.join(d, name)] = "import asyncio\n"
        if rng.random() < 0.4:
            files[os.path.join(d, ".gitignore")] = "\n".join(rng.sample(PATTERNS, rng.randint(1, 4))) + "\n"
        if rng.random() < 0.15:
            files[os.path.join(d, ".ignore")] = "\n".join(rng.sample(PATTERNS, rng.randint(1, 2))) + "\n"
    write_tree(base, files)
    if rng.random() < 0.7:
        os.makedirs(os.path.join(base, ".git", "info"), exist_ok=True)
        if rng.random() < 0.3:
            with open(os.path.join(base, ".git", "info", "exclude"), "w") as handle:
                handle.write(rng.choice(PATTERNS) + "\n")
    if len(dirs) > 2 and rng.random() < 0.2:
        os.makedirs(os.path.join(base, dirs[-1], ".git"), exist_ok=True)  # a nested repository


def rg_files(root, flags):
    env = dict(os.environ, HOME=root, XDG_CONFIG_HOME=os.path.join(root, ".no-config"))
    proc = subprocess.run(["rg", "--files", *RG_TYPE, *flags, root], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, env=env)
    assert proc.returncode in (0, 1), proc.stderr
    return sorted(proc.stdout.decode().splitlines())


def our_files(root, flags, select):
    env = dict(os.environ, HOME=root, XDG_CONFIG_HOME=os.path.join(root, ".no-config"))
    proc = subprocess.run([BIN, "--files", "--select", select, *flags, root],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    check_exit(proc.returncode, (0, 1), "asyncsweep --files", proc.stderr.decode("utf-8", "replace"))
    return sorted(proc.stdout.decode().splitlines())


class WalkParity(unittest.TestCase):
    def test_generated_trees_match_rg(self):
        rng = random.Random(20261124)
        variants = [
            ([], ["-t", "py"], "ASW040"),               # a py rule walks what rg --type py walks
            (["--hidden"], ["--hidden", "-t", "py"], "ASW040"),
            (["--no-ignore"], ["--no-ignore", "-t", "py"], "ASW040"),
            (["-g", "!tests"], ["-g", "!tests", "-t", "py"], "ASW040"),
            (["-g", "*.pyi"], ["-g", "*.pyi", "-t", "py"], "ASW040"),
            ([], ["-g", "pytest.ini"], "ASW011"),        # a config rule walks what rg -g pytest.ini walks
            ([], ["-t", "toml", "-g", "pyproject.toml"], "ASW010"),
        ]
        mismatches = []
        for n in range(generated_cases(60)):
            with tempdir() as d:
                random_tree(rng, d)
                for ours_flags, rg_flags, rule in variants:
                    expected = rg_files(d, rg_flags)
                    actual = our_files(d, ours_flags, rule)
                    if expected != actual:
                        mismatches.append((n, rg_flags, sorted(set(expected) ^ set(actual))[:5],
                                           subprocess.run(["find", d, "-name", ".*ignore", "-exec", "sh", "-c", "echo {}; cat {}", ";"],
                                                          stdout=subprocess.PIPE).stdout.decode()))
        self.assertEqual(mismatches, [])

    def test_rule_globs_select_files_as_rg_globs(self):
        # A rule's `globs` are rg -g globs: alternation and negated classes as rg reads them
        # (fnmatch would take the braces literally).
        pack = ('[[rule]]\nid = "X001"\ntitle = "t"\ncategory = "config"\nregex = "asyncio_mode"\n'
                'severity = "info"\nkind = "config"\nglobs = ["{tox,setup}.cfg", "[!p]*.ini"]\n')
        names = ["tox.cfg", "setup.cfg", "other.cfg", "{tox,setup}.cfg", "pytest.ini", "tox.ini", "sub/setup.cfg"]
        with tempdir() as d:
            write_tree(d, {name: "asyncio_mode = auto\n" for name in names})
            write_tree(d, {".no-config/pack.toml": pack})
            actual = our_files(d, ["--rules", os.path.join(d, ".no-config", "pack.toml")], "X001")
            expected = rg_files(d, ["-g", "{tox,setup}.cfg", "-g", "[!p]*.ini"])
            self.assertEqual(actual, expected)
            self.assertIn(os.path.join(d, "sub", "setup.cfg"), actual)

    def test_symlinks_follow_and_loops(self):
        with tempdir() as d:
            write_tree(d, {"real/m.py": "asyncio.get_event_loop()\n", "other/n.py": "x\n"})
            os.symlink(os.path.join(d, "real"), os.path.join(d, "link"))
            os.symlink(os.path.join(d, "real", "m.py"), os.path.join(d, "filelink.py"))
            os.symlink(d, os.path.join(d, "real", "loop"))
            os.symlink(os.path.join(d, "missing"), os.path.join(d, "dangling.py"))
            self.assertEqual(our_files(d, [], "ASW040"), rg_files(d, ["-t", "py"]))
            code, out, err = run("--files", "--select", "ASW040", "-L", d)
            self.assertEqual(code, 2)
            self.assertIn("loop", err)
            listed = sorted(out.decode().splitlines())
            self.assertIn(os.path.join(d, "link", "m.py"), listed)
            self.assertIn(os.path.join(d, "filelink.py"), listed)
            self.assertIn("dangling.py", err)


if __name__ == "__main__":
    unittest.main(verbosity=1)
