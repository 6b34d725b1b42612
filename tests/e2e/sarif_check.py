#!/usr/bin/env python3
"""Validate SARIF files against the OASIS SARIF 2.1.0 JSON schema.

    sarif_check.py FILE.sarif [FILE.sarif ...] [--schema SCHEMA.json]

Exit status: 0 valid, 1 invalid (every schema error is printed with its JSON path),
2 usage problem or unreadable input, 3 python3-jsonschema is not installed
(`apt-get install python3-jsonschema`; scripts/test installs it, and the tests fail without it).

Not a test itself (no test_ prefix): the unit tests and CI call it on printed SARIF.
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
# The schema lives next to the repository (shared/schemas), not inside it.
DEFAULT_SCHEMA = os.path.join(REPO, "..", "shared", "schemas", "sarif-schema-2.1.0.json")


def main(argv):
    parser = argparse.ArgumentParser(description="Validate SARIF 2.1.0 files.")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--schema", default=os.environ.get("SARIF_SCHEMA", DEFAULT_SCHEMA))
    args = parser.parse_args(argv)

    try:
        import jsonschema
    except ImportError:
        print("sarif_check: python3-jsonschema is not installed", file=sys.stderr)
        return 3

    try:
        with open(args.schema, encoding="utf-8") as handle:
            schema = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"sarif_check: cannot load schema {args.schema}: {error}", file=sys.stderr)
        return 2

    # Validate with the draft the schema declares ($schema), not whatever is newest.
    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    status = 0
    for path in args.files:
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
            document = json.loads(raw.decode("utf-8"))
        except (OSError, ValueError) as error:
            print(f"{path}: not readable as UTF-8 JSON: {error}", file=sys.stderr)
            status = max(status, 2)
            continue
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        for error in errors:
            where = "/".join(str(part) for part in error.absolute_path) or "(root)"
            print(f"{path}: {where}: {error.message}", file=sys.stderr)
        if errors:
            status = max(status, 1)
        # The schema does not say it, but GitHub rejects these (shared/design/peers.md §3).
        for problem in github_problems(document):
            print(f"{path}: {problem}", file=sys.stderr)
            status = max(status, 1)
    return status


def github_problems(document):
    """Fields GitHub code scanning requires beyond the schema: non-empty texts, locations."""
    for r, run in enumerate(document.get("runs", [])):
        driver = run.get("tool", {}).get("driver", {})
        if "results" not in run:
            yield f"runs/{r}: no results array"
        for i, rule in enumerate(driver.get("rules", [])):
            for field in ("shortDescription", "fullDescription", "help"):
                if not rule.get(field, {}).get("text"):
                    yield f"runs/{r}/tool/driver/rules/{i}: empty or missing {field}.text"
        for i, result in enumerate(run.get("results", [])):
            if not result.get("message", {}).get("text"):
                yield f"runs/{r}/results/{i}: empty message.text"
            locations = result.get("locations", [])
            if not locations or len(locations) > 10:
                yield f"runs/{r}/results/{i}: needs 1 to 10 locations"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
