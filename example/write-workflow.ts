import * as path from 'path';
import { buildExampleApp } from './app';
import { GithubOidcEcrPipeline } from '../src';

/** Where `cdk synth` writes the example's template (see `output` in cdk.json). */
export const EXAMPLE_OUTDIR = path.join(__dirname, 'cdk.out');

/**
 * Write the example's GitHub Actions workflow next to its template, as `push-image-to-ecr.yml`.
 * In an application repository the directory would be `.github/workflows`.
 *
 * @returns the path of the file written
 */
export function writeExampleWorkflow(directory: string = EXAMPLE_OUTDIR, pipeline?: GithubOidcEcrPipeline): string {
  // The example's stack has a literal region, so the workflow needs no awsRegion.
  return (pipeline ?? buildExampleApp().pipeline).writeWorkflow(directory);
}

if (require.main === module) {
  process.stdout.write(`Wrote ${path.relative(process.cwd(), writeExampleWorkflow())}\n`);
}
