import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Stack } from 'aws-cdk-lib';
import { testApp } from './stack';
import { buildExampleApp } from '../../example/app';
import { GithubOidcEcrPipeline } from '../../src';

/** Construct paths in the template, as `cdk synth` writes them. */
const PATH_METADATA = { 'aws:cdk:enable-path-metadata': true };

/** The example's pipeline, and its synthesized template written to a temporary directory. */
export const example = (() => {
  let built: { pipeline: GithubOidcEcrPipeline; stack: Stack; templateFile: string; dir: string } | undefined;
  return () => {
    if (!built) {
      const { app, stack, pipeline } = buildExampleApp(testApp(PATH_METADATA));
      const template = app.synth().getStackByName(stack.stackName).template;
      const dir = mkdtempSync(join(tmpdir(), 'explain-'));
      const templateFile = join(dir, `${stack.stackName}.template.json`);
      writeFileSync(templateFile, JSON.stringify(template, null, 1));
      built = { pipeline, stack, templateFile, dir };
    }
    return built;
  };
})();
