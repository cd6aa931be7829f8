import { Stack } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { testApp } from './support/stack';
import { buildExampleApp } from '../example/app';
import { WorkflowPatch } from '../src';

/*
 * WorkflowPatch and applyPatches: JSON Pointer changes to the rendered workflow, each checked
 * against the rules of the generated one. The patched workflow of a scenario, and its snapshot,
 * are in workflow.test.ts.
 */

function examplePipeline() {
  return buildExampleApp(testApp()).pipeline;
}
const patchWith = (...patches: WorkflowPatch[]) => () => examplePipeline().renderWorkflow({ patches });

describe('patches', () => {
  test('keeps the release comments and everything it does not touch', () => {
    const plain = parse(examplePipeline().renderWorkflow());
    const timed = examplePipeline().renderWorkflow({ patches: [WorkflowPatch.add('/jobs/dev/timeout-minutes', 20)] });
    expect(timed).toContain('# v7.0.1');
    const { 'timeout-minutes': minutes, ...rest } = parse(timed).jobs.dev;
    const { 'timeout-minutes': before, ...plainRest } = plain.jobs.dev;
    expect([before, minutes]).toEqual([30, 20]);
    expect(rest).toEqual(plainRest);
  });

  test('does not change the patch values it was given', () => {
    const value = { name: 'Deploy', needs: 'dev', steps: [{ run: 'echo' }] };
    const patch = WorkflowPatch.add('/jobs/deploy', value);
    const workflow = parse(examplePipeline().renderWorkflow({ patches: [patch, WorkflowPatch.add('/jobs/deploy/steps/-', { run: 'echo 2' })] }));
    expect(workflow.jobs.deploy.steps).toHaveLength(2);
    expect(value.steps).toHaveLength(1);
  });

  test('reads ~1 as / and ~0 as ~ in a key', () => {
    const workflow = parse(patchWith(WorkflowPatch.add('/jobs/dev/env/A~1B~0C', 'x'))());
    expect(workflow.jobs.dev.env['A/B~C']).toBe('x');
  });

  test('fails if a patch changes the triggers', () => {
    expect(patchWith(WorkflowPatch.add('/on/push/branches/-', 'devx')))
      .toThrow(/^patches\[0\] must not change the triggers \(on\).*got 'add \/on\/push\/branches\/-'/);
    expect(patchWith(WorkflowPatch.add('/on/workflow_dispatch', {}))).toThrow(/^patches\[0\] must not change the triggers/);
    expect(patchWith(WorkflowPatch.add('/jobs/dev/env/X', '1'))).not.toThrow();
  });

  test('fails if a patch adds a pull_request or pull_request_target trigger', () => {
    expect(patchWith(WorkflowPatch.add('/on/pull_request_target', {}))).toThrow(/^patches\[0\] must not add the pull_request_target trigger/);
    expect(patchWith(WorkflowPatch.add('/on/pull_request', { branches: ['main'] }))).toThrow(/^patches\[0\] must not add the pull_request trigger/);
    expect(patchWith(WorkflowPatch.replace('/on', ['push', 'pull_request']))).toThrow(/^patches\[0\] must not add the pull_request trigger/);
  });

  test('fails if a patch changes a job\'s condition, deployment environment or permissions', () => {
    expect(patchWith(WorkflowPatch.replace('/jobs/dev/if', 'startsWith(github.ref, \'refs/heads/dev\')')))
      .toThrow(/^patches\[0\] must not change if of the job 'dev': the job must run exactly on the refs its role trusts/);
    expect(patchWith(WorkflowPatch.remove('/jobs/prod/if'))).toThrow(/^patches\[0\] must not change if of the job 'prod'/);
    expect(patchWith(WorkflowPatch.add('/jobs/prod/environment', 'production'))).toThrow(/^patches\[0\] must not change environment of the job 'prod'/);
    expect(patchWith(WorkflowPatch.add('/jobs/dev/permissions', { 'id-token': 'write', 'contents': 'write' }))).toThrow(/^patches\[0\] must not change permissions of the job 'dev'/);
    expect(patchWith(WorkflowPatch.replace('/jobs/dev/name', 'Dev'))).not.toThrow();
  });

  test('fails if a patch removes a job of the pipeline', () => {
    expect(patchWith(WorkflowPatch.remove('/jobs/prod'))).toThrow(/^patches\[0\] must not remove the job 'prod'.*got 'remove \/jobs\/prod'/);
  });

  test('fails if a patch changes the workflow\'s permissions', () => {
    expect(patchWith(WorkflowPatch.add('/permissions/packages', 'read'))).toThrow(/^patches\[0\] must not change the workflow's permissions/);
    expect(patchWith(WorkflowPatch.replace('/permissions', 'write-all'))).toThrow(/^patches\[0\] must not change the workflow's permissions/);
  });

  test('fails if a patch gives an added job a write other than id-token', () => {
    const job = (permissions: unknown) => ({ 'runs-on': 'ubuntu-latest', permissions, 'steps': [{ run: 'true' }] });
    expect(patchWith(WorkflowPatch.add('/jobs/release', job({ contents: 'write' }))))
      .toThrow(/^patches\[0\] must not give the job 'release' contents: write: the workflow's only write is id-token/);
    expect(patchWith(WorkflowPatch.add('/jobs/release', job('write-all')))).toThrow(/^patches\[0\] must not give the job 'release' the permissions "write-all"/);
    expect(patchWith(WorkflowPatch.add('/jobs/release', job({ 'contents': 'read', 'id-token': 'write' })))).not.toThrow();
    expect(patchWith(WorkflowPatch.add('/jobs/release', job('read-all')))).not.toThrow();
  });

  test('fails if a patch puts an expression into a run script', () => {
    expect(patchWith(WorkflowPatch.add('/jobs/dev/steps/-', { run: 'echo "${{ github.event.head_commit.message }}"' })))
      .toThrow(/^patches\[0\] must not put an expression into the run script of step 8 of the job 'dev'/);
    expect(patchWith(WorkflowPatch.add('/jobs/dev/steps/-', { run: 'echo "$MESSAGE"', env: { MESSAGE: '${{ github.event.head_commit.message }}' } }))).not.toThrow();
  });

  test('fails if a patch writes an unresolved token', () => {
    const pipeline = examplePipeline();
    expect(() => pipeline.renderWorkflow({ patches: [WorkflowPatch.add('/jobs/dev/env/ACCOUNT', Stack.of(pipeline).account)] }))
      .toThrow(/^patches\[0\] must not write an unresolved CDK token into the workflow \(at \/jobs\/dev\/env\/ACCOUNT\)/);
  });

  test('fails if a patch names a place the workflow does not have', () => {
    expect(patchWith(WorkflowPatch.replace('/jobs/dev/continue-on-error', true))).toThrow(/^patches\[0\]\.path must name a value that exists to replace it.*got '\/jobs\/dev\/continue-on-error'/);
    expect(patchWith(WorkflowPatch.add('/jobs/staging/timeout-minutes', 5))).toThrow(/^patches\[0\]\.path names 'jobs\/staging', which the workflow does not have/);
    // An index of the list of steps: adding may append at its length, removing needs a step there.
    const count = parse(examplePipeline().renderWorkflow()).jobs.dev.steps.length;
    expect(patchWith(WorkflowPatch.add(`/jobs/dev/steps/${count + 1}`, {})))
      .toThrow(new RegExp(`^patches\\[0\\]\\.path must end in an index of the list \\(0 to ${count}, or '-' to append\\)`));
    expect(patchWith(WorkflowPatch.add(`/jobs/dev/steps/${count}`, { run: 'true' }))).not.toThrow();
    expect(patchWith(WorkflowPatch.remove(`/jobs/dev/steps/${count}`)))
      .toThrow(new RegExp(`^patches\\[0\\]\\.path must end in an index of the list \\(0 to ${count - 1}\\)`));
    expect(patchWith(WorkflowPatch.remove('/jobs/dev/steps/-'))).toThrow(/^patches\[0\]\.path must end in an index/);
    expect(patchWith(WorkflowPatch.add('jobs/dev/x', 1))).toThrow(/^patches\[0\]\.path must be a JSON Pointer into the workflow, starting with '\/'/);
    expect(patchWith(WorkflowPatch.add('/jobs/dev/a~2', 1))).toThrow(/^patches\[0\]\.path must write '~' as '~0'/);
    expect(patchWith(WorkflowPatch.add('/name/x', 1))).toThrow(/^patches\[0\]\.path must lead to an object or a list/);
  });

  test('fails if a patch value is not JSON, or a patch is not a WorkflowPatch', () => {
    expect(patchWith(WorkflowPatch.add('/jobs/dev/x', undefined))).toThrow(/^patches\[0\]\.value must have a value of JSON types/);
    expect(() => examplePipeline().renderWorkflow({ patches: [{ op: 'add', path: '/x', value: 1 } as any] })).toThrow(/^patches\[0\] must be made with WorkflowPatch/);
  });

  test('names the first patch that breaks a rule', () => {
    expect(patchWith(WorkflowPatch.add('/jobs/dev/x', 1), WorkflowPatch.remove('/jobs/dev/if'))).toThrow(/^patches\[1\] must not change if/);
  });
});
