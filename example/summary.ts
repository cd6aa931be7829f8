import * as fs from 'fs';
import * as path from 'path';

/*
 * Prints where `cdk synth` wrote the example's template, and what each environment's role
 * trusts and may push to, read from the template itself. Fails if the template holds anything
 * that would need `cdk bootstrap`: a Lambda, a custom resource or an asset.
 */

/** What `npm run example` prints, and whether the template would need `cdk bootstrap`. */
export interface ExampleSummary {
  readonly lines: string[];
  readonly errors: string[];
}

/**
 * The summary of the cloud assembly in `outdir`. Files are named as `shownAs`/FILE, so that a
 * test can summarize an assembly written elsewhere as `npm run example` prints it.
 */
export function summarize(outdir: string, shownAs: string): ExampleSummary {
  const lines: string[] = [];
  const errors: string[] = [];
  const out: Printer = { log: line => lines.push(line), error: line => errors.push(line) };
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const shown = (file: string) => path.join(shownAs, path.relative(outdir, file));
  summarizeStacks(outdir, manifest, shown, out);
  for (const file of fs.readdirSync(outdir).filter(f => f.endsWith('.yml'))) {
    out.log(`GitHub Actions workflow written to ${shown(path.join(outdir, file))}`);
  }
  return { lines, errors };
}

interface Printer {
  log(line: string): void;
  error(line: string): void;
}

function summarizeStacks(outdir: string, manifest: any, shown: (file: string) => string, out: Printer): void {
  for (const [artifactId, artifact] of Object.entries<any>(manifest.artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const templatePath = path.join(outdir, artifact.properties.templateFile);
    const template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
    const resources: Record<string, any> = template.Resources ?? {};
    const types = Object.values(resources).map(r => r.Type as string);

    out.log(`Stack ${artifactId}: template written to ${shown(templatePath)}`);
    out.log(`  ${types.length} resources: ${summarizeTypes(types)}`);

    for (const [id, role] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Role')) {
      const statements: any[] = role.Properties.AssumeRolePolicyDocument.Statement;
      const subjects = statements.flatMap(s => Object.values<any>(s.Condition ?? {})
        .flatMap(block => Object.entries<any>(block).filter(([key]) => key.endsWith(':sub')).flatMap(([, value]) => [value].flat())));
      const pushTo = role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement)
        .filter((s: any) => s.Resource !== '*')
        .flatMap((s: any) => [s.Resource].flat().map((arn: any) => repositoryName(resources, arn)));
      const environment = String(role.Metadata?.['aws:cdk:path'] ?? '').replace(/\/Role\/Resource$/, '');
      out.log(`  environment ${environment}`);
      out.log(`    role     ${id}`);
      out.log(`    trusts   ${subjects.join(', ')}`);
      out.log(`    pushes   ${pushTo.join(', ')}`);
    }

    // Synth warnings, such as the missing GitHub IDs, with the fix each names.
    const metadata = artifact.additionalMetadataFile
      ? JSON.parse(fs.readFileSync(path.join(outdir, artifact.additionalMetadataFile), 'utf8'))
      : artifact.metadata ?? {};
    const warnings = Object.values<any>(metadata).flat().filter((m: any) => m.type === 'aws:cdk:warning');
    for (const warning of warnings) out.log(`  warning: ${String(warning.data).replace(/ \[ack: [^\]]*\]$/, '')}`);

    const forbidden = types.filter(t => t === 'AWS::Lambda::Function' || t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource');
    const assets = (manifest.artifacts[`${artifactId}.assets`] ? 1 : 0) + (artifact.metadata ? Object.values<any>(artifact.metadata).flat().filter((m: any) => m.type === 'aws:cdk:asset').length : 0);
    if (forbidden.length > 0 || assets > 0) {
      out.error(`  the template needs bootstrapping: ${forbidden.length} Lambda/custom resources, ${assets} asset entries`);
    } else {
      out.log('  no Lambda, custom resource or asset: deployable without cdk bootstrap');
    }
  }
}

if (require.main === module) {
  // `summary.ts cdk.out/monorepo` for another example's assembly.
  const outdir = path.resolve(__dirname, process.argv[2] ?? 'cdk.out');
  const summary = summarize(outdir, path.relative(path.join(__dirname, '..'), outdir));
  for (const line of summary.lines) console.log(line);
  for (const line of summary.errors) console.error(line);
  if (summary.errors.length > 0) process.exitCode = 1;
}

function summarizeTypes(types: string[]): string {
  const counts = new Map<string, number>();
  for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].map(([t, n]) => `${n} ${t}`).join(', ');
}

/** The repository's name; with several images, `image: name`, the image read from the construct id (`ApiRepository`). */
function repositoryName(resources: Record<string, any>, arn: any): string {
  const ref = arn?.['Fn::GetAtt']?.[0];
  if (!ref || !resources[ref]) return JSON.stringify(arn);
  const name = resources[ref].Properties.RepositoryName ?? ref;
  const image = /\/(\w+)Repository\/Resource$/.exec(String(resources[ref].Metadata?.['aws:cdk:path'] ?? ''))?.[1];
  return image ? `${image.toLowerCase()}: ${name}` : name;
}
