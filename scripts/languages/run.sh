#!/usr/bin/env bash
# Usage: bash scripts/languages/run.sh LANG...   (LANG: python, java, go)
#
# Runs the seed scenario (example/<lang>/) and the README's <lang> block in each language, on
# bindings that jsii-pacmak generates now for aws-cdk-lib 2.262.0, constructs 10.5.1, their jsii
# dependencies and this library, and compares the template and workflow with the TypeScript
# example's. The bindings are generated once per invocation, for all the languages asked for
# (one jsii-pacmak run is much faster than one per language), and never reused by a later one.
#
# Writes .languages/results/<lang> ("passed" or "failed"), .languages/logs/<lang>.log, and a
# summary table; exits non-zero if any language failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
LOG_PREFIX=languages
source scripts/languages/common.sh

[ $# -gt 0 ] || die "usage: run.sh python|java|go..."
langs=("$@")
for lang in "${langs[@]}"; do
  case $lang in python|java|go) ;; *) die "unknown language '$lang' (python, java, go)";; esac
done

rm -rf "$WORK" && mkdir -p "$WORK/results" "$WORK/logs"
for lang in "${langs[@]}"; do echo failed > "$WORK/results/$lang"; done   # until proven otherwise
fetch_kernel

# measure NAME CMD...: run CMD under GNU time; NAME's wall time and peak RSS go to $WORK/logs/NAME.time
measure() {
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$WORK/logs/$name.time" "$@"
}

start=$SECONDS
if [ ! -f .jsii ]; then
  log "no .jsii assembly: compiling the library first"
  npx projen compile || die "npx projen compile failed"
fi

# The TypeScript example, the reference every language is compared with: the same cdk.json context,
# the same `cdk synth`.
log "synthesizing the TypeScript example (the reference) into ${REFERENCE#"$ROOT/"}"
cdk_synth example "$REFERENCE" "npx ts-node --transpile-only --project tsconfig.json app.ts" \
  || die "the TypeScript example did not synthesize"

# The comparison must be able to fail: one changed byte in a copy of the reference is a difference.
cp -r "$REFERENCE" "$WORK/changed"
sed -i 's/cloudterms-dev/cloudterms-deV/' "$WORK/changed/$TEMPLATE"
if compare_with_reference "$WORK/changed" "$TEMPLATE" > "$WORK/logs/self-check.log" 2>&1; then
  die "compare.js found no difference in a template with one byte changed"
fi
log "self-check: compare.js reports a template with one byte changed as different"
rm -rf "$WORK/changed"

# jsii-pacmak --code-only for every language asked for, in one run for aws-cdk-lib and its jsii
# dependencies (each module writes into its own jsii.outdir, which is then moved under
# $BINDINGS/<module>), and one with --outdir for this library.
targets=(); for lang in "${langs[@]}"; do targets+=(--target "$lang"); done
mapfile -t deps < <(node -e '
  const path = require("path");
  const root = path.dirname(require.resolve("aws-cdk-lib/package.json"));
  const pj = require(path.join(root, "package.json"));
  console.log(root);
  for (const d of Object.keys({ ...pj.dependencies, ...pj.peerDependencies })) {
    let dir;
    try { dir = path.dirname(require.resolve(`${d}/package.json`, { paths: [root] })); } catch { continue; }
    if (require(path.join(dir, "package.json")).jsii) console.log(dir);
  }')
for dir in "${deps[@]}"; do
  outdir="$dir/$(node -p "require('$dir/package.json').jsii.outdir")"
  for lang in "${langs[@]}"; do rm -rf "${outdir:?}/$lang"; done
done
# aws-cdk-lib and constructs in one run; each of aws-cdk-lib's other jsii dependencies (its asset and
# schema packages) in a run of its own, since jsii-pacmak cannot order them with aws-cdk-lib.
: > "$WORK/logs/pacmak.log"
# This library's run loads aws-cdk-lib's assembly and tablet too (about 2 minutes); it writes to its
# own --outdir, so it runs beside the others.
log "jsii-pacmak --code-only ${targets[*]}: this library (in the background)"
measure pacmak-self timeout 1200 "$PACMAK" --code-only "${targets[@]}" --no-npmignore --no-fingerprint \
  --rosetta-unknown-snippets fail --outdir "$BINDINGS/cdk-github-oidc-ecr" . > "$WORK/logs/pacmak-self.log" 2>&1 &
self_pid=$!
trap 'kill "$self_pid" 2>/dev/null || true' EXIT   # if a step below fails first
groups=("${deps[0]} $ROOT/node_modules/constructs")
for dir in "${deps[@]:1}"; do [ "$dir" = "$ROOT/node_modules/constructs" ] || groups+=("$dir"); done
for group in "${groups[@]}"; do
  read -r -a dirs <<< "$group"
  log "jsii-pacmak --code-only ${targets[*]}: ${dirs[*]#"$ROOT/"}"
  measure "pacmak-$(basename "${dirs[0]}")" timeout 1800 "$PACMAK" --code-only "${targets[@]}" --no-npmignore --no-fingerprint \
    --rosetta-unknown-snippets verbatim "${dirs[@]}" >> "$WORK/logs/pacmak.log" 2>&1 \
    || { tail -30 "$WORK/logs/pacmak.log"; die "jsii-pacmak failed for ${dirs[*]}"; }
done
for dir in "${deps[@]}"; do
  name=$(node -p "require('$dir/package.json').name"); name=${name//\//__}   # @aws-cdk/x -> @aws-cdk__x
  outdir="$dir/$(node -p "require('$dir/package.json').jsii.outdir")"
  mkdir -p "$BINDINGS/$name"
  for lang in "${langs[@]}"; do mv "$outdir/$lang" "$BINDINGS/$name/$lang" || die "jsii-pacmak wrote no $lang code for $name"; done
  rmdir "$outdir" 2>/dev/null || true
done
wait "$self_pid" || { tail -30 "$WORK/logs/pacmak-self.log"; die "jsii-pacmak failed for this library"; }
read -r pacmak_s pacmak_kb < <(tail -1 "$WORK/logs/pacmak-aws-cdk-lib.time")
log "bindings generated in $((SECONDS - start)) s (aws-cdk-lib and dependencies: ${pacmak_s} s, peak $((pacmak_kb / 1024)) MB), $(du -sh "$BINDINGS" | cut -f1)"

summary=()
for lang in "${langs[@]}"; do
  log "=== $lang"
  measure "$lang" bash "scripts/languages/$lang.sh" 2>&1 | tee "$WORK/logs/$lang.log"
  status=${PIPESTATUS[0]}
  # GNU time puts "Command exited with non-zero status N" first when the command fails.
  read -r secs kb < <(tail -1 "$WORK/logs/$lang.time") || true; [[ ${kb:-} =~ ^[0-9]+$ ]] || { secs=?; kb=0; }
  disk=$(du -scm "$WORK/$lang" "$BINDINGS"/*/"$lang" 2>/dev/null | tail -1 | cut -f1)
  source_line=$(grep -o 'runtime source: .*' "$WORK/logs/$lang.log" | tail -1)
  if [ "$status" -eq 0 ]; then echo passed > "$WORK/results/$lang"; result=passed; else result=FAILED; fi
  summary+=("$(printf '%-7s %-7s %6s s  peak %5s MB  disk %s MB (its bindings and work dir)  %s' "$lang" "$result" "$secs" "$((kb / 1024))" "$disk" "$source_line")")
done

log "summary (bindings: $((pacmak_s)) s, peak $((pacmak_kb / 1024)) MB for aws-cdk-lib and dependencies):"
printf '  %s\n' "${summary[@]}"
! grep -qx failed "$WORK"/results/*
