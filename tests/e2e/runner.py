"""Runs one e2e test script for ctest with the suite's accounting (tests/CMakeLists.txt).

    /usr/bin/python3 tests/e2e/runner.py tests/e2e/test_x.py

The script's own `__main__` block is not used, so no script can opt out: every test case is
loaded from the module and run here. Exit codes: 0 every case passed; 1 a case failed, or the
script holds no test; SKIP_CODE (ctest's SKIP_RETURN_CODE for these tests) nothing failed but
something was skipped, so that ctest itself lists the script as skipped. Each skip is printed
with its reason. With ASYNCSWEEP_TEST_RESULTS set to a directory, the outcome of every case is
written there as <script>.json for scripts/test's summary and the crash-stub check.
"""
import importlib.util
import json
import os
import sys
import unittest

SKIP_CODE = 77


def load(path):
    directory = os.path.dirname(os.path.abspath(path))
    sys.path.insert(0, directory)   # the scripts import common from beside them
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return name, module


def case_id(test):
    return test.id() if hasattr(test, "id") else str(test)


class Result(unittest.TextTestResult):
    """Counts passes itself: testsRun minus the failures would count a setUpClass error (no
    case run) against nothing, and a subTest's several failures against one case."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed = []

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed.append(case_id(test))


def main(argv):
    if len(argv) != 2:
        print("usage: runner.py tests/e2e/test_x.py", file=sys.stderr)
        return 2
    name, module = load(argv[1])
    suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stderr, resultclass=Result).run(suite)
    failed = [case_id(t) for t, _ in result.failures] + [case_id(t) for t, _ in result.unexpectedSuccesses]
    errors = [case_id(t) for t, _ in result.errors]
    skipped = [(case_id(t), reason) for t, reason in result.skipped]
    # A case with a failing subTest still reaches addSuccess: it passed only if nothing failed.
    passed = sorted(set(result.passed) - set(failed) - set(errors))
    outcome = {"script": name, "run": result.testsRun, "failed": failed, "errors": errors,
               "skipped": [list(s) for s in skipped], "passed": len(passed), "passed_cases": passed}
    results_dir = os.environ.get("ASYNCSWEEP_TEST_RESULTS")
    if results_dir:
        os.makedirs(results_dir, exist_ok=True)
        with open(os.path.join(results_dir, f"{name}.json"), "w") as handle:
            json.dump(outcome, handle)
    for test, reason in skipped:
        print(f"SKIPPED {test}: {reason}", file=sys.stderr)
    if result.testsRun == 0:
        print(f"{name}: no test was run", file=sys.stderr)
        return 1
    if not result.wasSuccessful():
        return 1
    return SKIP_CODE if skipped else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
