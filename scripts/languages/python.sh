#!/usr/bin/env bash
# Python: wheels of the generated bindings in a venv, the jsii runtime from PyPI when it can be
# reached and built from ../shared/vendor otherwise; then example/python/app.py and the README's
# Python block, compared with the TypeScript example. Run by run.sh, which generates the bindings.
set -euo pipefail
cd "$(dirname "$0")/../.."
LOG_PREFIX=python
source scripts/languages/common.sh

PY=/usr/bin/python3   # Debian's: the runtime's dependencies are Debian packages for it
# typing-extensions >= 4.6 (bookworm-backports): the generated modules set Protocol.__protocol_attrs__.
apt_need python3-venv python3-build python3-attr python3-cattr python3-dateutil python3-typing-extensions=bookworm-backports

W="$WORK/python"; rm -rf "$W"; mkdir -p "$W/wheels"
"$PY" -m venv --system-site-packages "$W/venv"
VPY="$W/venv/bin/python"

# The runtime: the jsii package at jsii-pacmak's version, from PyPI if pip can get it.
if timeout 120 "$VPY" -m pip download --quiet --retries 1 --timeout 20 --no-deps --dest "$W/probe" "jsii==$JSII_VERSION" >/dev/null 2>&1; then
  log "runtime source: PyPI (jsii==$JSII_VERSION and its dependencies, with pip)"
  timeout 600 "$VPY" -m pip install --quiet "jsii==$JSII_VERSION"
else
  need_vendor jsii-python-runtime; need_vendor typeguard; need_vendor publication
  log "runtime source: ../shared/vendor (PyPI has no jsii==$JSII_VERSION here): jsii, typeguard 2.13.3 and publication built from source; attrs, cattrs, python-dateutil and typing-extensions from Debian"
  # The vendored runtime is the package before upstream's build embeds the Node kernel and writes
  # _metadata.json; do those two steps on a copy.
  cp -r "$VENDOR/jsii-python-runtime" "$W/jsii-src"; chmod -R u+w "$W/jsii-src"
  # The kernel files go in flat (setup.py packages only *.js there); EMBEDDED_FILES maps each to
  # the path it is extracted to, bin/ and lib/ as in @jsii/runtime.
  emb="$W/jsii-src/src/jsii/_embedded/jsii"
  mkdir -p "$emb"
  files=""
  for f in bin/jsii-runtime.js lib/program.js lib/runtime-index-worker.js; do
    cp "$KERNEL/$f" "$emb/"; files+="\"$(basename "$f")\": \"$f\", "
  done
  printf 'EMBEDDED_FILES = {%s}\nENTRYPOINT = "jsii-runtime.js"\n' "$files" > "$emb/__init__.py"
  node -e '
    const k = require(process.argv[1]);
    console.log(JSON.stringify({ version: k.version, license: "Apache-2.0", homepage: "https://github.com/aws/jsii",
      bugs: "https://github.com/aws/jsii/issues", repository: "https://github.com/aws/jsii", author: "Amazon Web Services",
      description: "Python client for jsii runtime", "jsii-runtime": { version: k.version } }));' "$KERNEL/../package.json" > "$W/jsii-src/src/jsii/_metadata.json"
  echo "jsii Python runtime, built from ../shared/vendor/jsii-python-runtime" > "$W/jsii-src/README.md"
  cp -r "$VENDOR/typeguard" "$W/typeguard-src"; cp -r "$VENDOR/publication" "$W/publication-src"; chmod -R u+w "$W"/*-src
  for src in typeguard-src publication-src jsii-src; do
    "$PY" -m build --no-isolation --skip-dependency-check --wheel --outdir "$W/wheels" "$W/$src" > "$W/build-$src.log" 2>&1 \
      || { tail -20 "$W/build-$src.log"; die "building the $src wheel failed"; }
  done
  PIP_CONFIG_FILE=/dev/null timeout 600 "$VPY" -m pip install --quiet --no-index --find-links "$W/wheels" jsii
fi

# The bindings: one wheel per generated package; pip checks their dependencies against each other.
for dir in "$BINDINGS"/*/python; do
  "$PY" -m build --no-isolation --skip-dependency-check --wheel --outdir "$W/wheels" "$dir" > "$W/build.log" 2>&1 \
    || { tail -20 "$W/build.log"; die "building the wheel of $dir failed"; }
done
PIP_CONFIG_FILE=/dev/null timeout 900 "$VPY" -m pip install --quiet --no-index --find-links "$W/wheels" cdk-github-oidc-ecr
"$VPY" -m pip list 2>/dev/null | grep -Ei '^(jsii|typeguard|publication|attrs|cattrs|typing.extensions|aws-cdk|constructs|cdk-github)' | sed 's/^/  /'

export PATH="$W/venv/bin:$PATH" VIRTUAL_ENV="$W/venv"
log "cdk synth example/python (python3 app.py)"
cdk_synth example/python "$W/cdk.out" "python3 app.py" || die "example/python/app.py did not synthesize"
compare_with_reference "$W/cdk.out" || die "example/python differs from the TypeScript example"

log "the README's Python block"
node scripts/languages/readme-snippet.js python > "$W/readme.py" || die "no Python block in README.md"
cdk_synth example/python "$W/readme.out" "python3 $W/readme.py" || die "the README's Python block did not synthesize"
compare_with_reference "$W/readme.out" "$TEMPLATE" || die "the README's Python block differs from the TypeScript example"

# The type checks stay on (no PYTHONOPTIMIZE): a wrong type is a TypeError from the binding.
log "a wrong type is refused by the binding's type check"
"$VPY" - <<'EOF' || die "the generated Python code accepted github_repository=123"
from aws_cdk import Stack
from cdk_github_oidc_ecr import GithubOidcEcrPipeline, PipelineEnvironmentProps
try:
    GithubOidcEcrPipeline(Stack(), "P", github_repository=123, environments=[PipelineEnvironmentProps(name="dev", branches=["dev"])])
except TypeError as e:
    print(f"  TypeError, as expected: {str(e).splitlines()[0]}")
else:
    raise SystemExit("github_repository=123 was accepted")
EOF
log "passed"
