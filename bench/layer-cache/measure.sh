#!/usr/bin/env bash
# Rebuild time of an unchanged Dockerfile: cold, warm on the same machine, and on a "fresh runner"
# that first imports the earlier build as its cache (what type=gha does on GitHub's runners).
# Needs a running Docker engine (Debian: docker.io) and busybox-static for an offline base image;
# it pulls nothing from a registry. Usage: bash bench/layer-cache/measure.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-3}
export DOCKER_BUILDKIT=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs/bin"
cp "$(command -v busybox)" "$work/rootfs/bin/"
for c in sh dd gzip sha256sum cat; do ln -s busybox "$work/rootfs/bin/$c"; done
tar -C "$work/rootfs" -c . | docker import - local/busybox:1 >/dev/null
seconds() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1; echo "$(date +%s.%N) - $s" | bc; }
echo "round | cold build (s) | unchanged, same machine (s) | unchanged, cache imported (s)"
for i in $(seq "$rounds"); do
  docker rmi -f lc:cold lc:warm lc:restored >/dev/null 2>&1 || true
  docker builder prune -af >/dev/null 2>&1 || true
  cold=$(seconds docker build --no-cache -t lc:cold .)
  warm=$(seconds docker build -t lc:warm .)
  docker save lc:cold -o "$work/cache.tar"
  docker rmi -f lc:cold lc:warm >/dev/null 2>&1
  docker image prune -f >/dev/null 2>&1
  restored=$(seconds bash -c "docker load -i '$work/cache.tar' && docker build --cache-from lc:cold -t lc:restored .")
  printf '%s | %.1f | %.1f | %.1f\n' "$i" "$cold" "$warm" "$restored"
done
