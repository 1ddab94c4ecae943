#!/usr/bin/env python3
"""Validate a report against its published schema, vendored in tests/data/schemas.

    validate.py sarif FILE   SARIF 2.1.0 (OASIS' JSON schema, errata01)
    validate.py junit FILE   JUnit XML (Jenkins xunit-plugin's junit-10.xsd)

Exit 0 when valid; else 1, with every error on stderr.
"""
import json
import pathlib
import sys

SCHEMAS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "data" / "schemas"


def sarif(path):
    import jsonschema

    schema = json.loads((SCHEMAS / "sarif" / "sarif-schema-2.1.0.json").read_text())
    doc = json.loads(pathlib.Path(path).read_text())
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def junit(path):
    import xmlschema

    schema = xmlschema.XMLSchema10(str(SCHEMAS / "junit" / "junit-10.xsd"))
    return [str(e) for e in schema.iter_errors(path)]


def main():
    kind, path = sys.argv[1], sys.argv[2]
    errors = {"sarif": sarif, "junit": junit}[kind](path)
    for e in errors:
        print(e, file=sys.stderr)
    print(f"{path}: {'valid' if not errors else f'{len(errors)} error(s)'} ({kind})")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
