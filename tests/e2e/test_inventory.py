"""Step 0 inventory against CPython's ast: per file, the counts of async functions, awaits,
asyncio.gather( or bare gather(, TaskGroup( and create_task( (asyncio., loop., tg. or bare) calls in code (never in comments or
strings) equal what ast finds, on the standard library and Debian's asyncio packages."""
import ast
import json
import os
import subprocess
import sys
import unittest
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run, stdlib_dir, tempdir, write_tree  # noqa: E402


def ast_counts(path):
    with open(path, "rb") as handle:
        source = handle.read()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(source)
    counts = {"async_functions": 0, "awaits": 0, "gather": 0, "task_groups": 0, "create_task": 0}
    for node in ast.walk(tree):
        if isinstance(node, ast.AsyncFunctionDef):
            counts["async_functions"] += 1
        elif isinstance(node, ast.Await):
            counts["awaits"] += 1
        elif isinstance(node, ast.Call):
            func = node.func
            # gather: asyncio.gather( or a bare gather( (imported from asyncio); create_task on
            # any receiver (loop.create_task, tg.create_task) or bare.
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "asyncio":
                if func.attr == "gather":
                    counts["gather"] += 1
            if isinstance(func, ast.Name) and func.id == "gather":
                counts["gather"] += 1
            if (isinstance(func, ast.Attribute) and func.attr == "create_task") or (
                    isinstance(func, ast.Name) and func.id == "create_task"):
                counts["create_task"] += 1
            if (isinstance(func, ast.Name) and func.id == "TaskGroup") or (isinstance(func, ast.Attribute) and func.attr == "TaskGroup"):
                counts["task_groups"] += 1
    return counts


def inventory(*roots):
    code, out, err = run("inventory", "--format", "json", *roots)
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    files = {r["path"]: r for r in records if r["type"] == "file"}
    return files, records[-1]


KEYS = ("async_functions", "awaits", "gather", "task_groups", "create_task")


class Inventory(unittest.TestCase):
    def compare_tree(self, roots):
        files, summary = inventory(*roots)
        compared = 0
        mismatches = []
        for root in roots:
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for name in filenames:
                    if not name.endswith(".py") or name.startswith("."):
                        continue
                    path = os.path.join(dirpath, name)
                    if os.path.islink(path):
                        continue
                    try:
                        expected = ast_counts(path)
                    except (SyntaxError, ValueError):
                        continue  # ast rejects it (lib2to3 test data, bad encodings): nothing to compare
                    got = files.get(path, {k: 0 for k in KEYS})
                    compared += 1
                    for key in KEYS:
                        if got[key] != expected[key]:
                            mismatches.append((path, key, got[key], expected[key]))
        self.assertGreater(compared, 10)
        self.assertEqual(mismatches[:20], [])
        return files, summary

    def test_standard_library(self):
        files, summary = self.compare_tree([stdlib_dir()])
        # The document's own Step 0 command misses every indented async def.
        proc = subprocess.run(["rg", "--type", "py", "-c", "^async def ", stdlib_dir()], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        # 1 would mean no match at all (impossible in the stdlib), 2 an error: neither is a count.
        self.assertEqual(proc.returncode, 0, proc.stderr.decode("utf-8", "replace"))
        rg_total = sum(int(line.rsplit(":", 1)[1]) for line in proc.stdout.decode().splitlines())
        self.assertGreater(summary["totals"]["async_functions"], rg_total)

    def test_debian_asyncio_packages(self):
        roots = [p for p in ("/usr/lib/python3/dist-packages/aiohttp", "/usr/lib/python3/dist-packages/trio",
                             "/usr/lib/python3/dist-packages/anyio") if os.path.isdir(p)]
        if not roots:
            self.skipTest("python3-aiohttp/-trio/-anyio are not installed")
        self.compare_tree(roots)

    def test_comments_and_strings_do_not_count(self):
        with tempdir() as d:
            write_tree(d, {"m.py": 'async def f():\n    """await asyncio.gather(x)"""\n    # await y\n'
                                   "    s = 'asyncio.create_task('\n    await g()\n"
                                   "class C:\n    async def m(self):\n        return await asyncio.gather(a, b)\n"})
            files, summary = inventory(d)
            self.assertEqual({k: summary["totals"][k] for k in KEYS},
                             {"async_functions": 2, "awaits": 2, "gather": 1, "task_groups": 0, "create_task": 0})

    def test_loop_and_task_group_create_task_and_bare_gather_count(self):
        with tempdir() as d:
            write_tree(d, {"m.py": "import asyncio\nfrom asyncio import gather\n\n\nasync def f(loop):\n"
                                   "    loop.create_task(g())\n    async with asyncio.TaskGroup() as tg:\n"
                                   "        tg.create_task(g())\n    await gather(g(), g())\n"
                                   "    self.loop.create_task(g())\n\n\ndef gather_all(): pass\n"})
            files, summary = inventory(d)
            self.assertEqual({k: summary["totals"][k] for k in KEYS},
                             {"async_functions": 1, "awaits": 1, "gather": 1, "task_groups": 1, "create_task": 3})


if __name__ == "__main__":
    unittest.main(verbosity=1)
