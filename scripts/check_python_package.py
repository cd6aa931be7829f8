#!/usr/bin/python3
"""Check that a built wheel exposes the library's public API in Python, with snake_case props.

The Python jsii runtime cannot be installed offline, so the wheel is inspected, not imported:
the module's source is parsed with `ast`. The expected names come from the jsii assembly (.jsii),
so a prop added in TypeScript is checked without editing this script. By default that is the
assembly embedded in the wheel itself, so a stale wheel is still checked against its own API.

Usage: check_python_package.py WHEEL [ASSEMBLY]
"""
import ast
import io
import json
import re
import sys
import tarfile
import zipfile

MODULE = "cdk_github_oidc_ecr"
# Named in the issue; each must exist and be exported, whatever the assembly says.
REQUIRED_TYPES = ["GithubOidcEcrPipeline", "GithubSubject", "PipelineEnvironment", "GithubActionsOidcProvider"]
# Multi-word props that must be keyword arguments of GithubOidcEcrPipeline, in snake_case.
REQUIRED_PIPELINE_KWARGS = ["repository_prefix", "github_owner_id", "github_repository_id", "environments", "github_repository"]


def snake(name: str) -> str:
    """jsii's camelCase to snake_case (close enough for plain identifiers like ownerId)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def main(wheel: str, assembly_path: str = "") -> int:
    errors = []
    with zipfile.ZipFile(wheel) as whl:
        names = whl.namelist()
        init = f"{MODULE}/__init__.py"
        if init not in names:
            print(f"FAIL: {wheel} has no {init}")
            return 1
        tree = ast.parse(whl.read(init).decode("utf-8"))
        tgz = [n for n in names if n.startswith(f"{MODULE}/_jsii/") and n.endswith(".jsii.tgz")]
        if not tgz:
            print(f"FAIL: {MODULE}/_jsii/*.jsii.tgz (the embedded npm package) is missing")
            return 1
        if assembly_path:
            with open(assembly_path, encoding="utf-8") as f:
                assembly = json.load(f)
        else:
            with tarfile.open(fileobj=io.BytesIO(whl.read(tgz[0]))) as tar:
                assembly = json.load(tar.extractfile("package/.jsii"))

    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    exported = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            exported = set(ast.literal_eval(node.value))

    def kwargs_of(cls: str, method: str = "__init__") -> set:
        for item in classes[cls].body:
            if isinstance(item, ast.FunctionDef) and item.name == method:
                return {a.arg for a in item.args.kwonlyargs}
        return set()

    def methods_of(cls: str) -> set:
        return {i.name for i in classes[cls].body if isinstance(i, ast.FunctionDef)}

    types = {t["name"]: t for t in assembly["types"].values()}

    for name in sorted(set(REQUIRED_TYPES) | set(types)):
        if name not in classes:
            errors.append(f"class {name} is missing")
        elif name not in exported:
            errors.append(f"class {name} is not in __all__")

    # Struct props become keyword-only arguments: of the struct's class and of every constructor
    # that takes the struct as its last parameter (GithubOidcEcrPipeline(scope, id, *, github_owner_id=...)).
    for jsii_type in types.values():
        if jsii_type["kind"] == "interface" and jsii_type.get("datatype") and jsii_type["name"] in classes:
            expected = {snake(p["name"]) for p in jsii_type.get("properties", [])}
            missing = expected - kwargs_of(jsii_type["name"])
            if missing:
                errors.append(f"{jsii_type['name']}(...) lacks keyword arguments {sorted(missing)}")
        if jsii_type["kind"] == "class" and jsii_type["name"] in classes:
            params = (jsii_type.get("initializer") or {}).get("parameters") or []
            struct = types.get(params[-1]["type"].get("fqn", "").split(".")[-1]) if params else None
            if struct and struct.get("datatype"):
                expected = {snake(p["name"]) for p in struct.get("properties", [])}
                missing = expected - kwargs_of(jsii_type["name"])
                if missing:
                    errors.append(f"{jsii_type['name']}(...) lacks keyword arguments {sorted(missing)}")
            for method in jsii_type.get("methods", []):
                if snake(method["name"]) not in methods_of(jsii_type["name"]):
                    errors.append(f"{jsii_type['name']}.{snake(method['name'])}() is missing")

    if "GithubOidcEcrPipeline" in classes:
        kwargs = kwargs_of("GithubOidcEcrPipeline")
        for kw in REQUIRED_PIPELINE_KWARGS:
            if kw not in kwargs:
                errors.append(f"GithubOidcEcrPipeline(...) lacks keyword argument {kw}")
        camel = sorted(k for k in kwargs if re.search(r"[A-Z]", k))
        if camel:
            errors.append(f"GithubOidcEcrPipeline(...) has camelCase keyword arguments {camel}")

    if errors:
        for e in errors:
            print(f"FAIL: {e}")
        return 1
    print(f"OK: {wheel} exposes {', '.join(REQUIRED_TYPES)} "
          f"and {len(types)} public types with snake_case props "
          f"(GithubOidcEcrPipeline: {', '.join(sorted(kwargs_of('GithubOidcEcrPipeline')))})")
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        print(__doc__)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
