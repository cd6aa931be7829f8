#!/usr/bin/env bash
# Offline packaging for every jsii target. Needs only npm packages and Debian's python3-build and
# twine: projen's package:<lang> tasks (used by the release workflow) need PyPI, Maven Central,
# NuGet and the Go proxy, which this machine cannot reach.
#
# Output:
#   dist/js/       the npm tarball
#   dist/python/   wheel and sdist (built with --no-isolation, passed twine check and the API check)
#   dist/src/      jsii-pacmak --code-only sources for python, java, dotnet and go
#   dist/ARTIFACTS.txt  names, sizes and timings
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"

PY=/usr/bin/python3   # Debian's python, which has python3-build and twine (PATH's python3 may not)
PACMAK=node_modules/.bin/jsii-pacmak

if [ ! -f .jsii ]; then
  echo "package-all-offline: no .jsii assembly; run 'npx projen compile' first" >&2
  exit 1
fi
if [ ! -f .jsii.tabl.json ]; then
  echo "package-all-offline: no rosetta tablet; run 'npx projen post-compile' (jsii-rosetta extract --strict) first" >&2
  exit 1
fi
if ! "$PY" -c 'import build, twine' 2>/dev/null; then
  echo "package-all-offline: $PY lacks 'build' or 'twine'; apt-get install -y python3-build twine" >&2
  exit 1
fi

start=$(date +%s)
stamp() { echo "[package-all-offline] $(( $(date +%s) - start ))s: $*"; }
rm -rf dist/js dist/python dist/src dist/ARTIFACTS.txt

# --no-npmignore: .npmignore is projen's file. --no-fingerprint: always regenerate.
"$PACMAK" --target js --outdir dist --no-npmignore --no-fingerprint
stamp "npm tarball"

# One pacmak run for all four languages (they share the parsed assembly and the rosetta tablet).
# --rosetta-unknown-snippets fail: every example must already be in the strict tablet.
"$PACMAK" --code-only --target python --target java --target dotnet --target go \
  --outdir dist/src --no-npmignore --no-fingerprint --rosetta-unknown-snippets fail
stamp "python/java/dotnet/go sources"

# jsii-pacmak pins the newest setuptools/build in pyproject.toml; Debian's older ones build the
# same wheel, so the pin check is skipped (nothing is downloaded with --no-isolation).
"$PY" -m build --no-isolation --skip-dependency-check --outdir dist/python dist/src/python
stamp "python wheel and sdist"

"$PY" -m twine check --strict dist/python/*
"$PY" scripts/check_python_package.py dist/python/*.whl
stamp "python checks"

for lang in java dotnet go; do
  if [ -z "$(find "dist/src/$lang" -type f -print -quit)" ]; then
    echo "package-all-offline: no $lang sources were generated" >&2
    exit 1
  fi
done

{
  echo "# artifacts (bytes  path)"
  find dist/js dist/python -type f -printf '%s  %p\n' | sort -k2
  for lang in python java dotnet go; do
    printf '%s  dist/src/%s/ (%s files)\n' \
      "$(du -sb "dist/src/$lang" | cut -f1)" "$lang" "$(find "dist/src/$lang" -type f | wc -l)"
  done
  echo "# took $(( $(date +%s) - start ))s"
} | tee dist/ARTIFACTS.txt
