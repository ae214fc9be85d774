#!/usr/bin/env python3
"""Validates a FHIR R4 (4.0.1) Bundle written by cordon (GET
/api/v1/exports/cases.fhir.json) with the `fhir.resources` package.

Usage: fhir_validate.py BUNDLE.json

Every entry's resource is parsed by the model of its resourceType (unknown
or misspelt elements, wrong types, missing required elements and invalid
codes of required bindings fail), then the bundle as a whole; each fullUrl
must be unique and every reference must name an entry of the bundle.
Prints one line per resource type and exits 0, or prints what is wrong and
exits 1. Needs fhir.resources 6.4.0 (FHIR R4 4.0.1) on pydantic 1.10:
scripts/test installs them into a virtual environment under the target
folder.
"""

import collections
import json
import sys

try:
    import fhir.resources
    from fhir.resources import construct_fhir_element
except ImportError as error:  # pragma: no cover - said to the person running it
    sys.exit(f"fhir_validate.py: cannot import fhir.resources ({error}); "
             "install it with: pip install fhir.resources==6.4.0 pydantic==1.10.26")


def references(value, found):
    """Collects every `reference` string inside a resource."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "reference" and isinstance(inner, str):
                found.append(inner)
            else:
                references(inner, found)
    elif isinstance(value, list):
        for inner in value:
            references(inner, found)
    return found


def main(path):
    if getattr(fhir.resources, "__fhir_version__", None) != "4.0.1":
        sys.exit(f"fhir_validate.py: fhir.resources {fhir.resources.__version__} models FHIR "
                 f"{getattr(fhir.resources, '__fhir_version__', '?')}, not R4 4.0.1; use fhir.resources==6.4.0")
    with open(path, encoding="utf-8") as f:
        bundle = json.load(f)
    problems = []
    if bundle.get("resourceType") != "Bundle" or bundle.get("type") != "collection":
        problems.append("the document is not a Bundle of type collection")
    urls = collections.Counter()
    kinds = collections.Counter()
    entries = bundle.get("entry", [])
    for i, entry in enumerate(entries):
        resource = entry.get("resource", {})
        kind = resource.get("resourceType", "?")
        try:
            construct_fhir_element(kind, resource)
        except Exception as error:  # noqa: BLE001 - every failure is reported
            problems.append(f"entry[{i}] {kind}: {error}")
        url = entry.get("fullUrl")
        if url != f"urn:uuid:{resource.get('id')}":
            problems.append(f"entry[{i}] {kind}: fullUrl {url!r} is not urn:uuid:<id>")
        urls[url] += 1
        kinds[kind] += 1
    try:
        construct_fhir_element("Bundle", bundle)
    except Exception as error:  # noqa: BLE001
        problems.append(f"Bundle: {error}")
    problems += [f"fullUrl {url} is used {n} times" for url, n in urls.items() if n > 1]
    for i, entry in enumerate(entries):
        for ref in references(entry.get("resource", {}), []):
            if ref not in urls:
                problems.append(f"entry[{i}]: the reference {ref} names no entry of the bundle")
    if problems:
        print(f"{path}: {len(problems)} problem(s)", file=sys.stderr)
        for problem in problems[:50]:
            print(problem, file=sys.stderr)
        return 1
    print(f"valid FHIR R4 {fhir.resources.__fhir_version__} bundle: {len(entries)} entries "
          f"(fhir.resources {fhir.resources.__version__})")
    for kind, n in sorted(kinds.items()):
        print(f"{kind} {n}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
