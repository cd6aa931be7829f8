#!/usr/bin/env bash
# Go: example/go built against the generated modules, with github.com/aws/jsii-runtime-go from the Go
# module proxy when it can be reached and from ../shared/vendor otherwise; then the app and the
# README's Go block, compared with the TypeScript example. Run by run.sh, which generates the bindings.
set -euo pipefail
cd "$(dirname "$0")/../.."
LOG_PREFIX=go
source scripts/languages/common.sh

# Go 1.23 from bookworm-backports (bookworm's 1.19 is too old for the generated modules); the
# runtime's own dependencies are Debian's Go source packages.
apt_need golang-go=bookworm-backports golang-github-masterminds-semver-dev golang-github-fatih-color-dev \
  golang-github-mattn-go-isatty-dev golang-github-mattn-go-colorable-dev golang-golang-x-sys-dev

W="$WORK/go"; rm -rf "$W"; mkdir -p "$W"
export GOTOOLCHAIN=local GOPATH="$W/gopath" GOCACHE="$W/cache" GOFLAGS=-mod=mod GOTELEMETRY=off
GO_VERSION=$(go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')

# The app's module: example/go/go.mod plus a replace for every generated module (the bindings are
# not published), and for the runtime when it comes from ../shared/vendor.
app="$W/app"; mkdir -p "$app"
cp example/go/app.go example/go/go.mod "$app/"
replace() { (cd "$app" && go mod edit -replace "$1=$2"); }
lower_go() { sed -i -E "s/^go [0-9.]+$/go $GO_VERSION/" "$1/go.mod"; }   # generated go.mod files say go 1.25
for mod in "$BINDINGS"/*/go/*/; do
  mod=${mod%/}
  cp -r "$mod" "$W/modules-$(basename "$(dirname "$(dirname "$mod")")")-$(basename "$mod")"
done
for mod in "$W"/modules-*; do
  lower_go "$mod"
  replace "$(sed -n 's/^module //p' "$mod/go.mod")" "$mod"
done
lower_go "$app"

if GOPROXY= GOFLAGS= timeout 60 go mod download -json "github.com/aws/jsii-runtime-go@v$JSII_VERSION" >/dev/null 2>&1; then
  log "runtime source: the Go module proxy (github.com/aws/jsii-runtime-go@v$JSII_VERSION, with go)"
  export GOPROXY=
else
  need_vendor jsii-runtime-go
  log "runtime source: ../shared/vendor (the Go module proxy is out of reach): github.com/aws/jsii-runtime-go from source, with the Node kernel embedded; its dependencies from Debian"
  export GOPROXY=off
  rt="$W/jsii-runtime-go"
  cp -r "$VENDOR/jsii-runtime-go" "$rt"; chmod -R u+w "$rt"
  # Upstream's build embeds the kernel under internal/embedded/resources/.
  mkdir -p "$rt/internal/embedded/resources/bin" "$rt/internal/embedded/resources/lib"
  cp "$KERNEL/bin/jsii-runtime.js" "$rt/internal/embedded/resources/bin/"
  cp "$KERNEL/lib/program.js" "$KERNEL/lib/runtime-index-worker.js" "$rt/internal/embedded/resources/lib/"
  # ... and writes the kernel version it was built for (the kernel must match it: "^VERSION").
  printf 'package kernel\n\n// version is the @jsii/runtime kernel version this runtime embeds.\nconst version = "%s"\n' "$JSII_VERSION" \
    > "$rt/internal/kernel/version.go"
  # tools.go only pins development tools (lint, godoc) that are not on this machine.
  rm -f "$rt/tools.go"
  lower_go "$rt"
  (cd "$rt" && go mod edit -droprequire golang.org/x/lint -droprequire golang.org/x/tools -droprequire golang.org/x/tools/cmd/godoc \
    -droprequire github.com/stretchr/testify)
  replace github.com/aws/jsii-runtime-go "$rt"
  # Debian's Go sources, in /usr/share/gocode; fatih/color ships no go.mod, so it gets one.
  gocode=/usr/share/gocode/src
  cp -r "$gocode/github.com/fatih/color" "$W/fatih-color"; chmod -R u+w "$W/fatih-color"
  [ -f "$W/fatih-color/go.mod" ] || printf 'module github.com/fatih/color\n\ngo 1.17\n\nrequire (\n\tgithub.com/mattn/go-colorable v0.1.13\n\tgithub.com/mattn/go-isatty v0.0.16\n)\n' > "$W/fatih-color/go.mod"
  replace github.com/fatih/color "$W/fatih-color"
  replace github.com/Masterminds/semver/v3 "$gocode/github.com/Masterminds/semver"
  replace github.com/mattn/go-isatty "$gocode/github.com/mattn/go-isatty"
  replace github.com/mattn/go-colorable "$gocode/github.com/mattn/go-colorable"
  replace golang.org/x/sys "$gocode/golang.org/x/sys"
fi

log "go build example/go"
(cd "$app" && timeout 1200 go mod tidy && timeout 1200 go build -o "$W/push-image-to-ecr" .) || die "example/go does not build"
log "cdk synth example/go"
cdk_synth example/go "$W/cdk.out" "$W/push-image-to-ecr" || die "example/go did not synthesize"
compare_with_reference "$W/cdk.out" || die "example/go differs from the TypeScript example"

log "the README's Go block"
readme="$W/readme"; mkdir -p "$readme"
cp "$app/go.mod" "$readme/"; [ -f "$app/go.sum" ] && cp "$app/go.sum" "$readme/"
node scripts/languages/readme-snippet.js go > "$readme/main.go" || die "no Go block in README.md"
(cd "$readme" && timeout 1200 go build -o "$W/readme-app" .) || die "the README's Go block does not build"
cdk_synth example/go "$W/readme.out" "$W/readme-app" || die "the README's Go block did not synthesize"
compare_with_reference "$W/readme.out" "$TEMPLATE" || die "the README's Go block differs from the TypeScript example"
log "passed"
