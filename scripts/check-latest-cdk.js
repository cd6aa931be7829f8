// Run by check-latest-cdk.sh inside its temporary npm project; argv[2] is example/cdk.json.
const fs = require('fs');
const path = require('path');
const { App } = require('aws-cdk-lib');
const { Template } = require('aws-cdk-lib/assertions');
const { buildExampleApp } = require('./out/app.js');
if (typeof buildExampleApp !== 'function') {
  console.error('check-latest-cdk: example/app.ts no longer exports buildExampleApp(app)');
  process.exit(1);
}

const cdkVersion = JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib').replace(/index\.js$/, 'package.json'), 'utf-8')).version;
const { context } = JSON.parse(fs.readFileSync(process.argv[2], 'utf-8'));
const app = new App({ context, outdir: path.join(__dirname, 'cdk.out') });
const { stack } = buildExampleApp(app);
const assembly = app.synth(); // runs aws-cdk-lib's built-in CloudFormation validation
const artifact = assembly.getStackArtifact(stack.artifactId);
const template = Template.fromJSON(artifact.template);

const errors = artifact.messages.filter(m => m.level === 'error');
for (const m of errors) console.error(`${m.id}: ${m.entry.data}`);
const counts = {
  'AWS::IAM::Role': 2,
  'AWS::ECR::Repository': 2,
  'AWS::IAM::OIDCProvider': 1,
  'AWS::Lambda::Function': 0,
};
for (const [type, n] of Object.entries(counts)) template.resourceCountIs(type, n);
if (errors.length > 0) process.exit(1);

const warnings = artifact.messages.filter(m => m.level === 'warning').length;
console.log(`check-latest-cdk: OK, the example synthesized against aws-cdk-lib ${cdkVersion} `
  + `(${Object.keys(artifact.template.Resources).length} resources, ${warnings} warnings)`);
