#!/usr/bin/env bash
# Synthesizes the example against the newest aws-cdk-lib 2.x on npm (or CDK_VERSION, e.g.
# CDK_VERSION=2.262.0 for the floor) without touching package-lock.json or node_modules: the
# compiled library (lib/) and the example are copied into a temporary npm project, the example is
# type-checked against that aws-cdk-lib, synthesized with the built-in CloudFormation validation
# on, and its template is checked. Needs the npm registry and a compiled lib/ (npx projen compile).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CDK_VERSION="${CDK_VERSION:-2}"

if [ ! -f lib/index.js ] || [ ! -f .jsii ]; then
  echo "check-latest-cdk: no compiled library; run 'npx projen compile' first" >&2
  exit 1
fi

lock_before=$(sha256sum package-lock.json)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cdk-latest.XXXXXX")
if [ -z "${KEEP_WORK:-}" ]; then trap 'rm -rf "$WORK"' EXIT; else echo "check-latest-cdk: keeping $WORK"; fi

# A throw-away npm project: its own package.json, no lockfile, nothing saved.
echo '{ "name": "cdk-latest-check", "private": true }' > "$WORK/package.json"
yaml_range=$(node -p "require('./package.json').dependencies.yaml")
npm install --prefix "$WORK" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
  --loglevel=error "aws-cdk-lib@$CDK_VERSION" "constructs@10" "yaml@$yaml_range" >/dev/null

# The library as npm would install it: package.json, .jsii and the compiled lib/.
pkg="$WORK/node_modules/cdk-github-oidc-ecr"
mkdir -p "$pkg"
cp -r package.json .jsii lib "$pkg/"

# The example, importing the package instead of ../src, type-checked against the new aws-cdk-lib
# (tsc compiles app.ts and what it imports; any other '../' import fails here).
for f in example/*.ts; do
  sed "s#from '\.\./src'#from 'cdk-github-oidc-ecr'#" "$f" > "$WORK/$(basename "$f")"
done
(cd "$WORK" && node "$ROOT/node_modules/typescript/bin/tsc" --strict --skipLibCheck --target ES2022 \
  --module nodenext --moduleResolution nodenext \
  --typeRoots "$ROOT/node_modules/@types" --types node --outDir out app.ts)

cp scripts/check-latest-cdk.js "$WORK/check.js"
(cd "$WORK" && node check.js "$ROOT/example/cdk.json")

if [ "$(sha256sum package-lock.json)" != "$lock_before" ]; then
  echo "check-latest-cdk: package-lock.json changed" >&2
  exit 1
fi
