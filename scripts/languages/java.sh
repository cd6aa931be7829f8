#!/usr/bin/env bash
# Java: javac and jar (no Maven: its plugins and the pom's dependencies live on Maven Central). The
# jsii runtime comes from Maven Central when `mvn` is installed and can reach it, and is built from
# ../shared/vendor otherwise; Jackson and the annotations are Debian's. Then example/java and the
# README's Java block, compared with the TypeScript example. Run by run.sh, which generates the bindings.
set -euo pipefail
cd "$(dirname "$0")/../.."
LOG_PREFIX=java
source scripts/languages/common.sh

apt_need openjdk-17-jdk-headless libjackson2-core-java libjackson2-databind-java libjackson2-annotations-java \
  libjetbrains-annotations-java libgeronimo-annotation-1.3-spec-java

W="$WORK/java"; rm -rf "$W"; mkdir -p "$W/lib"
J=/usr/share/java
DEPS="$J/jackson-core.jar:$J/jackson-databind.jar:$J/jackson-annotations.jar:$J/org.jetbrains.annotations-java8.jar:$J/geronimo-annotation-1.3-spec.jar"
JAVAC=(javac -encoding UTF-8 -nowarn -Xlint:none -Xmaxerrs 20)

if command -v mvn >/dev/null && timeout 300 mvn -q -B dependency:copy "-Dartifact=software.amazon.jsii:jsii-runtime:$JSII_VERSION" \
     "-DoutputDirectory=$W/lib" >/dev/null 2>&1; then
  log "runtime source: Maven Central (software.amazon.jsii:jsii-runtime:$JSII_VERSION, with mvn); Jackson and annotations from Debian"
  RUNTIME="$W/lib/jsii-runtime-$JSII_VERSION.jar"
else
  need_vendor jsii-java-runtime
  log "runtime source: ../shared/vendor (no mvn that reaches Maven Central here): software.amazon.jsii:jsii-runtime built from source with javac; Jackson and annotations from Debian"
  # Upstream's build writes JsiiVersion and BundledRuntime and puts the Node kernel in the jar's
  # resources; these are this project's versions of those steps.
  src="$W/runtime-src"; mkdir -p "$src/software/amazon/jsii" "$W/runtime-classes/software/amazon/jsii"
  cat > "$src/software/amazon/jsii/JsiiVersion.java" <<EOF
package software.amazon.jsii;

/** The @jsii/runtime kernel this runtime embeds; its hello message must match. */
final class JsiiVersion {
    static final String JSII_RUNTIME_VERSION = "@jsii/runtime@$JSII_VERSION";

    private JsiiVersion() {
    }
}
EOF
  cat > "$src/software/amazon/jsii/BundledRuntime.java" <<'EOF'
package software.amazon.jsii;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Extracts the embedded Node kernel (bin/ and lib/ as in @jsii/runtime) once per JVM. */
final class BundledRuntime {
    private static final String[] FILES = {"bin/jsii-runtime.js", "lib/program.js", "lib/runtime-index-worker.js"};
    private static String entrypoint;

    private BundledRuntime() {
    }

    static synchronized String extract(final Class<?> klass) {
        if (entrypoint == null) {
            try {
                final Path dir = Files.createTempDirectory("jsii-java-runtime");
                dir.toFile().deleteOnExit();
                for (final String file : FILES) {
                    final Path target = Util.extractResource(klass, file, dir);
                    target.getParent().toFile().deleteOnExit();
                    target.toFile().deleteOnExit();
                }
                entrypoint = dir.resolve(FILES[0]).toString();
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return entrypoint;
    }
}
EOF
  find "$VENDOR/jsii-java-runtime/project/src/main/java" "$src" -name '*.java' > "$W/runtime-sources.txt"
  "${JAVAC[@]}" -cp "$DEPS" -d "$W/runtime-classes" "@$W/runtime-sources.txt"
  mkdir -p "$W/runtime-classes/software/amazon/jsii/bin" "$W/runtime-classes/software/amazon/jsii/lib"
  cp "$KERNEL/bin/jsii-runtime.js" "$W/runtime-classes/software/amazon/jsii/bin/"
  cp "$KERNEL/lib/program.js" "$KERNEL/lib/runtime-index-worker.js" "$W/runtime-classes/software/amazon/jsii/lib/"
  RUNTIME="$W/lib/jsii-runtime-$JSII_VERSION.jar"
  jar --create --file "$RUNTIME" -C "$W/runtime-classes" .
fi
CP="$RUNTIME:$DEPS"

# The bindings. This library, constructs, and the packages of aws-cdk-lib that this library's API
# uses (its root package, aws_iam, aws_ecr, aws_kms; scripts/languages/java-packages.js) are compiled
# whole, because the jsii kernel can hand back an object of any class in them (an iam.Role for
# IRole). The rest of aws-cdk-lib (11,838 sources, 6.9 GB of javac heap for all of them) and its
# asset and schema packages are compiled as far as javac reaches from -sourcepath.
B="$W/classes"; mkdir -p "$B"
sourcepath=$(printf '%s:' "$BINDINGS"/*/java/src/main/java)
for dir in "$BINDINGS"/*/java/src/main/resources; do cp -r "$dir"/. "$B"/; done   # the .jsii.tgz assemblies
cdk_java="$BINDINGS/aws-cdk-lib/java/src/main/java"
{
  find "$BINDINGS/cdk-github-oidc-ecr/java/src/main/java" "$BINDINGS/constructs/java/src/main/java" example/java/src/main/java -name '*.java'
  node scripts/languages/java-packages.js | while read -r pkg; do find "$cdk_java/$pkg" -maxdepth 1 -name '*.java'; done
} > "$W/sources.txt"
log "javac: this library, constructs, example/java and $(node scripts/languages/java-packages.js | tr '\n' ' ')whole ($(wc -l < "$W/sources.txt") sources); the rest of aws-cdk-lib from -sourcepath"
"${JAVAC[@]}" -J-Xmx6g -implicit:class -cp "$CP" -sourcepath "$sourcepath" -d "$B" "@$W/sources.txt" \
  || die "javac failed on the generated Java bindings or example/java"
log "compiled $(find "$B" -name '*.class' | wc -l) classes"
CP="$B:$CP"

log "cdk synth example/java (java com.example.pushimage.PushImageToEcrApp)"
cdk_synth example/java "$W/cdk.out" "java -cp $CP com.example.pushimage.PushImageToEcrApp" \
  || die "example/java did not synthesize"
compare_with_reference "$W/cdk.out" || die "example/java differs from the TypeScript example"

log "the README's Java block"
mkdir -p "$W/readme/src"
node scripts/languages/readme-snippet.js java > "$W/readme/snippet.java" || die "no Java block in README.md"
class=$(sed -nE 's/^public (final )?class ([A-Za-z0-9_]+).*/\2/p' "$W/readme/snippet.java" | head -1)
[ -n "$class" ] || die "the README's Java block has no public class"
cp "$W/readme/snippet.java" "$W/readme/src/$class.java"
"${JAVAC[@]}" -cp "$CP" -d "$W/readme/classes" "$W/readme/src/$class.java" || die "the README's Java block does not compile"
cdk_synth example/java "$W/readme.out" "java -cp $W/readme/classes:$CP $class" || die "the README's Java block did not synthesize"
compare_with_reference "$W/readme.out" "$TEMPLATE" || die "the README's Java block differs from the TypeScript example"
log "passed"
