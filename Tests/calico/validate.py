"""Validates Calico documents against the CRDs beside this file.

usage: validate.py FILE...   (exit 1 and one line per problem on failure)
Every document must be projectcalico.org/v3 of a kind with a CRD here.
"""
import glob
import ipaddress
import os
import sys

import jsonschema
import yaml

here = os.path.dirname(os.path.abspath(__file__))
schemas = {}
for path in glob.glob(os.path.join(here, "*.yaml")):
    with open(path) as f:
        crd = yaml.safe_load(f)
    for version in crd["spec"]["versions"]:
        schemas[(crd["spec"]["group"] + "/" + version["name"], crd["spec"]["names"]["kind"])] = version["schema"]["openAPIV3Schema"]

formats = jsonschema.FormatChecker()


@formats.checks("cidr", raises=ValueError)
def is_cidr(value):
    ipaddress.ip_network(value, strict=True)
    return True


problems = []
count = 0
for path in sys.argv[1:]:
    with open(path) as f:
        documents = list(yaml.safe_load_all(f))
    for document in documents:
        count += 1
        key = (document.get("apiVersion"), document.get("kind"))
        if key not in schemas:
            problems.append(f"{path}: no CRD for {key}")
            continue
        validator = jsonschema.Draft7Validator(schemas[key], format_checker=formats)
        for error in validator.iter_errors(document):
            where = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{path}: {document['kind']} {document['metadata']['name']}: {where}: {error.message}")
for problem in problems:
    print(problem)
print(f"{count} documents, {len(problems)} problems")
sys.exit(1 if problems else 0)
