#!/usr/bin/env python3
"""Validates a FHIR R4 (4.0.1) Bundle written by cordon (GET
/api/v1/exports/cases.fhir.json) with the `fhir.resources` package.

Usage: fhir_validate.py BUNDLE.json

Every entry's resource is parsed by the model of its resourceType (unknown
or misspelt elements, wrong types and formats, missing required elements
fail), then the bundle as a whole. fhir.resources does not check codes
against their value sets, so this script checks the codes of the required
bindings cordon fills (REQUIRED below) and the Condition invariants con-4
and con-5 itself. Each fullUrl must be unique and every reference must name
an entry of the bundle.
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


# The codes of the required bindings cordon fills, from the R4 value sets.
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
REQUIRED = {
    ("Patient", "gender"): {"male", "female", "other", "unknown"},
    ("RelatedPerson", "gender"): {"male", "female", "other", "unknown"},
    ("Observation", "status"): {"registered", "preliminary", "final", "amended", "corrected", "cancelled",
                                "entered-in-error", "unknown"},
    ("Task", "status"): {"draft", "requested", "received", "accepted", "rejected", "ready", "cancelled",
                         "in-progress", "on-hold", "failed", "completed", "entered-in-error"},
    ("Task", "intent"): {"unknown", "proposal", "plan", "order", "original-order", "reflex-order", "filler-order",
                         "instance-order", "option"},
}
CODINGS = {
    ("Condition", "clinicalStatus"): (CLINICAL, {"active", "recurrence", "relapse", "inactive", "remission", "resolved"}),
    ("Condition", "verificationStatus"): (VERIFICATION, {"unconfirmed", "provisional", "differential", "confirmed",
                                                          "refuted", "entered-in-error"}),
}
ADDRESS_USE = {"home", "work", "temp", "old", "billing"}
TELECOM_SYSTEM = {"phone", "fax", "email", "pager", "url", "sms", "other"}


def codes(kind, resource):
    """The problems with the codes of required bindings, and con-4/con-5."""
    problems = []
    for (k, element), allowed in REQUIRED.items():
        if k == kind and element in resource and resource[element] not in allowed:
            problems.append(f"{element} {resource[element]!r} is not in its required value set")
    for (k, element), (system, allowed) in CODINGS.items():
        if k == kind and element in resource:
            for coding in resource[element].get("coding", []):
                if coding.get("system") != system or coding.get("code") not in allowed:
                    problems.append(f"{element} {coding} is not a code of {system}")
    for address in resource.get("address", []):
        if address.get("use", "home") not in ADDRESS_USE:
            problems.append(f"address.use {address['use']!r} is not in its required value set")
    for telecom in resource.get("telecom", []):
        if telecom.get("system", "other") not in TELECOM_SYSTEM:
            problems.append(f"telecom.system {telecom['system']!r} is not in its required value set")
    if kind == "Condition":
        clinical = [c.get("code") for c in resource.get("clinicalStatus", {}).get("coding", [])]
        verification = [c.get("code") for c in resource.get("verificationStatus", {}).get("coding", [])]
        abated = any(key.startswith("abatement") for key in resource)
        if abated and not set(clinical) & {"inactive", "resolved", "remission"}:
            problems.append("con-4: an abated condition must be inactive, resolved or in remission")
        if "entered-in-error" in verification and clinical:
            problems.append("con-5: no clinicalStatus when the verification status is entered-in-error")
    return problems


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
        problems += [f"entry[{i}] {kind}: {problem}" for problem in codes(kind, resource)]
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
