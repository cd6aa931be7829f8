// Prints the Java package directories of aws-cdk-lib that this library's API uses: the root package
// and every submodule that a type of this library's .jsii refers to (aws_iam, aws_ecr, ...).
// java.sh compiles these whole, so that every object the jsii kernel hands back from them has its
// class; the rest of aws-cdk-lib is compiled as far as javac reaches from -sourcepath.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const own = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '.jsii'), 'utf8'));
const used = new Set([...JSON.stringify(own.types).matchAll(/"aws-cdk-lib\.([a-z][a-z0-9_]*)\.[A-Z]/g)].map(m => m[1]));

const cdkDir = path.dirname(require.resolve('aws-cdk-lib/package.json'));
const cdk = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(cdkDir, '.jsii.gz'))).toString('utf8'));
const packages = [cdk.targets.java.package];
for (const name of [...used].sort()) {
  const sub = cdk.submodules[`aws-cdk-lib.${name}`];
  if (!sub?.targets?.java?.package) throw new Error(`aws-cdk-lib.${name}: no Java package in aws-cdk-lib's assembly`);
  packages.push(sub.targets.java.package);
}
for (const p of packages) console.log(p.replace(/\./g, '/'));
