# Shared by scripts/languages/*.sh; sourced from the repository root.
# Everything a run makes lives under .languages/ (gitignored; .ci/run removes it at its start).

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
export CDK_DISABLE_VERSION_CHECK=true CDK_DISABLE_CLI_TELEMETRY=true
export AWS_REGION="${AWS_REGION:-us-east-1}"

ROOT=$(pwd)
WORK="$ROOT/.languages"
BINDINGS="$WORK/bindings"          # jsii-pacmak --code-only output: $BINDINGS/<lang>/...
REFERENCE="$WORK/reference"        # the TypeScript example's cloud assembly
VENDOR="$ROOT/../shared/vendor"    # jsii runtimes for registries this machine cannot reach
CDK="$ROOT/node_modules/.bin/cdk"
PACMAK="$ROOT/node_modules/.bin/jsii-pacmak"
TEMPLATE=PushImageToEcr.template.json
WORKFLOW=push-image-to-ecr.yml

log() { echo "[$LOG_PREFIX] $*"; }
die() { echo "[$LOG_PREFIX] FAILED: $*" >&2; exit 1; }
need_vendor() { # need_vendor DIR: a folder of ../shared/vendor, or a clear error
  [ -d "$VENDOR/$1" ] || die "the registry is out of reach and ../shared/vendor/$1 is missing (expected beside the repository, at $VENDOR)"
}

# jsii-pacmak's version is the runtime version the generated code expects. Every runtime embeds the
# Node kernel, @jsii/runtime at that same version (checked at handshake). Only its self-contained
# webpack/ bundle is needed, so it is unpacked from npm rather than installed (its package asks for
# an @jsii/kernel version that the registry here does not serve).
JSII_VERSION=$(node -p 'require("jsii-pacmak/package.json").version')
KERNEL="$WORK/kernel/package/webpack"   # bin/jsii-runtime.js, lib/program.js, lib/runtime-index-worker.js
fetch_kernel() {
  mkdir -p "$WORK/kernel"
  (cd "$WORK/kernel" && timeout 300 npm pack --silent "@jsii/runtime@$JSII_VERSION" >/dev/null && tar xzf "jsii-runtime-$JSII_VERSION.tgz") \
    || die "could not get @jsii/runtime@$JSII_VERSION from npm"
  [ -f "$KERNEL/bin/jsii-runtime.js" ] || die "$KERNEL/bin/jsii-runtime.js is missing"
}

# apt_need PKG[=SUITE]...: install the Debian packages that are missing (CI has only what the repo
# installs). PKG=bookworm-backports takes the package from backports, adding that suite if needed.
apt_need() {
  local missing=() backports=() spec pkg suite
  for spec in "$@"; do
    pkg=${spec%%=*}; suite=${spec#*=}; [ "$suite" = "$spec" ] && suite=
    if [ -n "$suite" ]; then
      dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null | grep -q "~bpo" || backports+=("$pkg")
    else
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && [ ${#backports[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]} ${backports[*]} (backports); install them as root"
  if [ ${#backports[@]} -gt 0 ] && ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
    printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      > /etc/apt/sources.list.d/bookworm-backports.sources
  fi
  log "apt-get install ${missing[*]} ${backports[*]}"
  timeout 600 apt-get update -qq || die "apt-get update failed"
  if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
  fi
  if [ ${#backports[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq -t bookworm-backports "${backports[@]}" >/dev/null \
      || die "apt-get install -t bookworm-backports ${backports[*]} failed"
  fi
}

# compare_with_reference OUTDIR [FILE...]: each FILE (default: template and workflow) of OUTDIR must
# be byte-identical to the TypeScript example's. Nothing is normalised.
compare_with_reference() {
  local outdir=$1; shift
  local files=("$@"); [ ${#files[@]} -gt 0 ] || files=("$TEMPLATE" "$WORKFLOW")
  node "$ROOT/scripts/languages/compare.js" "$REFERENCE" "$outdir" "${files[@]}"
}

# cdk_synth DIR OUTDIR APP: `cdk synth` of DIR's cdk.json (its context), with APP as the app command.
cdk_synth() {
  local dir=$1 outdir=$2 app=$3
  rm -rf "$outdir"
  (cd "$dir" && timeout 900 "$CDK" synth --app "$app" --output "$outdir" --no-notices --no-version-reporting --quiet)
}
