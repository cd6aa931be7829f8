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

  test('adds a job without steps, one that calls a reusable workflow', () => {
    const notify = { needs: 'dev', uses: 'octo-org/ci/.github/workflows/notify.yml@v1', with: { image: 'dev' } };
    const workflow = parse(patchWith(WorkflowPatch.add('/jobs/notify', notify))());
    expect(workflow.jobs.notify).toEqual(notify);
  });

  test('reads ~1 as / and ~0 as ~ in a key', () => {
    const workflow = parse(patchWith(WorkflowPatch.add('/jobs/dev/env/A~1B~0C', 'x'))());
    expect(workflow.jobs.dev.env['A/B~C']).toBe('x');
  });

  test('fails if a patch changes the triggers', () => {
    expect(patchWith(WorkflowPatch.add('/on/push/branches/-', 'devx')))
      .toThrow(/^patches\[0\] must not change the triggers \(on\).*got 'add \/on\/push\/branches\/-'/);
    expect(patchWith(WorkflowPatch.add('/on/workflow_dispatch', {}))).toThrow(/^patches\[0\] must not change the triggers/);
    // A list of branches one shorter, or as long with one branch changed, is another trigger.
    expect(patchWith(WorkflowPatch.remove('/on/push/branches/1'))).toThrow(/^patches\[0\] must not change the triggers/);
    expect(patchWith(WorkflowPatch.replace('/on/push/branches/1', 'mainx'))).toThrow(/^patches\[0\] must not change the triggers/);
    expect(patchWith(WorkflowPatch.replace('/on/push/branches/1', 'main'))).not.toThrow();
    expect(patchWith(WorkflowPatch.add('/jobs/dev/env/X', '1'))).not.toThrow();
  });

  test('fails if a patch adds a pull_request or pull_request_target trigger', () => {
    expect(patchWith(WorkflowPatch.add('/on/pull_request_target', {}))).toThrow(/^patches\[0\] must not add the pull_request_target trigger/);
    expect(patchWith(WorkflowPatch.add('/on/pull_request', { branches: ['main'] }))).toThrow(/^patches\[0\] must not add the pull_request trigger/);
    expect(patchWith(WorkflowPatch.replace('/on', ['push', 'pull_request']))).toThrow(/^patches\[0\] must not add the pull_request trigger/);
    expect(patchWith(WorkflowPatch.replace('/on', 'pull_request'))).toThrow(/^patches\[0\] must not add the pull_request trigger/);
    expect(patchWith(WorkflowPatch.replace('/on', 'push'))).toThrow(/^patches\[0\] must not change the triggers/);
  });

  test('fails if a patch changes a job\'s condition, deployment environment or permissions', () => {
    expect(patchWith(WorkflowPatch.replace('/jobs/dev/if', 'startsWith(github.ref, \'refs/heads/dev\')')))
      .toThrow(/^patches\[0\] must not change if of the job 'dev': the job must run exactly on the refs its role trusts/);
    expect(patchWith(WorkflowPatch.remove('/jobs/prod/if'))).toThrow(/^patches\[0\] must not change if of the job 'prod'/);
    expect(patchWith(WorkflowPatch.add('/jobs/prod/environment', 'production'))).toThrow(/^patches\[0\] must not change environment of the job 'prod'/);
    expect(patchWith(WorkflowPatch.add('/jobs/dev/permissions', { 'id-token': 'write', 'contents': 'write' }))).toThrow(/^patches\[0\] must not change permissions of the job 'dev'/);
    expect(patchWith(WorkflowPatch.remove('/jobs/dev/permissions'))).toThrow(/^patches\[0\] must not change permissions of the job 'dev'/);
    expect(patchWith(WorkflowPatch.add('/jobs/prod/needs', 'dev'))).toThrow(/^patches\[0\] must not change needs of the job 'prod'/);
    expect(patchWith(WorkflowPatch.add('/jobs/dev/environment', []))).toThrow(/^patches\[0\] must not change environment of the job 'dev'/);
    expect(patchWith(WorkflowPatch.add('/jobs/dev/environment', {}))).toThrow(/^patches\[0\] must not change environment of the job 'dev'/);
    // A list of the condition's characters is not the condition.
    const condition = parse(examplePipeline().renderWorkflow()).jobs.dev.if;
    expect(patchWith(WorkflowPatch.replace('/jobs/dev/if', [...condition]))).toThrow(/^patches\[0\] must not change if of the job 'dev'/);
    expect(patchWith(WorkflowPatch.replace('/jobs/dev/if', condition))).not.toThrow();
    expect(patchWith(WorkflowPatch.replace('/jobs/dev/name', 'Dev'))).not.toThrow();
  });

  test('fails if a patch removes a job of the pipeline', () => {
    expect(patchWith(WorkflowPatch.remove('/jobs/prod'))).toThrow(/^patches\[0\] must not remove the job 'prod'.*got 'remove \/jobs\/prod'/);
  });

  test('fails if a patch changes the workflow\'s permissions', () => {
    expect(patchWith(WorkflowPatch.add('/permissions/packages', 'read'))).toThrow(/^patches\[0\] must not change the workflow's permissions/);
    expect(patchWith(WorkflowPatch.replace('/permissions', 'write-all'))).toThrow(/^patches\[0\] must not change the workflow's permissions/);
    expect(patchWith(WorkflowPatch.remove('/permissions'))).toThrow(/^patches\[0\] must not change the workflow's permissions/);
    expect(patchWith(WorkflowPatch.remove('/permissions/contents'))).toThrow(/^patches\[0\] must not change the workflow's permissions/);
    expect(patchWith(WorkflowPatch.replace('/permissions/contents', 'write'))).toThrow(/^patches\[0\] must not change the workflow's permissions/);
    expect(patchWith(WorkflowPatch.replace('/permissions/contents', 'read'))).not.toThrow();
  });

  test('fails if a patch gives an added job a write other than id-token', () => {
    const job = (permissions: unknown) => ({ 'runs-on': 'ubuntu-latest', permissions, 'steps': [{ run: 'true' }] });
    expect(patchWith(WorkflowPatch.add('/jobs/release', job({ contents: 'write' }))))
      .toThrow(/^patches\[0\] must not give the job 'release' contents: write: the workflow's only write is id-token/);
    expect(patchWith(WorkflowPatch.add('/jobs/release', job('write-all')))).toThrow(/^patches\[0\] must not give the job 'release' the permissions "write-all"/);
    expect(patchWith(WorkflowPatch.add('/jobs/release', job({ 'contents': 'read', 'id-token': 'write' })))).not.toThrow();
    expect(patchWith(WorkflowPatch.add('/jobs/release', job('read-all')))).not.toThrow();
    expect(patchWith(WorkflowPatch.add('/jobs/release', job(null)))).not.toThrow();
  });

  test('fails if a patch adds a job that is not an object', () => {
    expect(patchWith(WorkflowPatch.add('/jobs/release', 'ubuntu-latest')))
      .toThrow(/^patches\[0\] must leave the job 'release' an object, got 'add \/jobs\/release'/);
    expect(patchWith(WorkflowPatch.add('/jobs/release', { 'runs-on': 'ubuntu-latest', 'steps': [{ run: 'true' }] }))).not.toThrow();
  });

  test('fails if a patch leaves the workflow without jobs', () => {
    expect(patchWith(WorkflowPatch.replace('/jobs', []))).toThrow(/^patches\[0\] must leave the workflow an object with jobs, got 'replace \/jobs'/);
    expect(patchWith(WorkflowPatch.remove('/jobs'))).toThrow(/^patches\[0\] must leave the workflow an object with jobs, got 'remove \/jobs'/);
  });

  test('fails if a patch puts an expression into a run script', () => {
    expect(patchWith(WorkflowPatch.add('/jobs/dev/steps/-', { run: 'echo "${{ github.event.head_commit.message }}"' })))
      .toThrow(/^patches\[0\] must not put an expression into the run script of step 8 of the job 'dev'/);
    expect(patchWith(WorkflowPatch.add('/jobs/dev/steps/-', { run: 'echo "$MESSAGE"', env: { MESSAGE: '${{ github.event.head_commit.message }}' } }))).not.toThrow();
  });

  test('reads only the run scripts that are strings for expressions', () => {
    // GIVEN an added job whose steps are a null and a step whose run is a list, which GitHub refuses itself
    const job = { 'runs-on': 'ubuntu-latest', 'steps': [null, { run: ['echo ${{ github.sha }}'] }] };
    // THEN the patch passes this rule, and the workflow shows them as given
    const workflow = parse(patchWith(WorkflowPatch.add('/jobs/release', job))());
    expect(workflow.jobs.release.steps).toEqual(job.steps);
  });

  test('fails if a patch writes an unresolved token', () => {
    const pipeline = examplePipeline();
    expect(() => pipeline.renderWorkflow({ patches: [WorkflowPatch.add('/jobs/dev/env/ACCOUNT', Stack.of(pipeline).account)] }))
      .toThrow(/^patches\[0\] must not write an unresolved CDK token into the workflow \(at \/jobs\/dev\/env\/ACCOUNT\)/);
  });

  test('fails if a patch writes an unresolved token into a list or a key', () => {
    const pipeline = examplePipeline();
    const account = Stack.of(pipeline).account;
    // A token in the step after the last: the steps before it hold none.
    const count = parse(examplePipeline().renderWorkflow()).jobs.dev.steps.length;
    expect(() => pipeline.renderWorkflow({ patches: [WorkflowPatch.add('/jobs/dev/steps/-', { name: account, run: 'true' })] }))
      .toThrow(new RegExp(`^patches\\[0\\] must not write an unresolved CDK token into the workflow \\(at /jobs/dev/steps/${count}/name\\)`));
    expect(() => pipeline.renderWorkflow({ patches: [WorkflowPatch.add(`/jobs/dev/env/${account}`, 'x')] }))
      .toThrow(`must not write an unresolved CDK token into the workflow (at /jobs/dev/env/${account})`);
  });

  test('keeps a null value a patch adds', () => {
    const workflow = parse(patchWith(WorkflowPatch.add('/jobs/dev/env/EMPTY', null))());
    expect(workflow.jobs.dev.env).toHaveProperty('EMPTY', null);
  });

  test('adds, replaces and removes the steps of a job', () => {
    // GIVEN the dev job's steps
    const steps = parse(examplePipeline().renderWorkflow()).jobs.dev.steps;
    const first = { name: 'First', run: 'true' };
    // WHEN a patch adds before the first step, replaces the second, or removes the last
    const added = parse(patchWith(WorkflowPatch.add('/jobs/dev/steps/0', first))()).jobs.dev.steps;
    const replaced = parse(patchWith(WorkflowPatch.replace('/jobs/dev/steps/1', first))()).jobs.dev.steps;
    const removed = parse(patchWith(WorkflowPatch.remove(`/jobs/dev/steps/${steps.length - 1}`))()).jobs.dev.steps;
    // THEN
    expect(added).toEqual([first, ...steps]);
    expect(replaced).toEqual([steps[0], first, ...steps.slice(2)]);
    expect(removed).toEqual(steps.slice(0, -1));
  });

  test('reads an index of two digits', () => {
    // GIVEN steps appended to the dev job's, so that it has 11
    const count = parse(examplePipeline().renderWorkflow()).jobs.dev.steps.length;
    const appended = Array.from({ length: 11 - count }, () => WorkflowPatch.add('/jobs/dev/steps/-', { run: 'true' }));
    const render = (...patches: WorkflowPatch[]) => parse(patchWith(...appended, ...patches)()).jobs.dev.steps;
    // THEN the 11th is step 10, as the last token of a path and as one on the way
    expect(render(WorkflowPatch.replace('/jobs/dev/steps/10', { run: 'echo 10' }))[10]).toEqual({ run: 'echo 10' });
    expect(render(WorkflowPatch.add('/jobs/dev/steps/10/name', 'Ten'))[10]).toEqual({ name: 'Ten', run: 'true' });
  });

  test('fails if a patch names a place the workflow does not have', () => {
    expect(patchWith(WorkflowPatch.replace('/jobs/dev/continue-on-error', true))).toThrow(/^patches\[0\]\.path must name a value that exists to replace it.*got '\/jobs\/dev\/continue-on-error'/);
    expect(patchWith(WorkflowPatch.add('/jobs/staging/timeout-minutes', 5))).toThrow(/^patches\[0\]\.path names 'jobs\/staging', which the workflow does not have/);
    expect(patchWith(WorkflowPatch.add('/jobs/staging/steps/0', {}))).toThrow(/^patches\[0\]\.path names 'jobs\/staging', which the workflow does not have/);
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
    expect(patchWith(WorkflowPatch.add(42 as any, 1))).toThrow(/^patches\[0\]\.path must be a JSON Pointer into the workflow, starting with '\/'.*, got 42$/);
  });

  test('fails if a patch path ends in something other than an index of the list', () => {
    const count = parse(examplePipeline().renderWorkflow()).jobs.dev.steps.length;
    for (const index of ['01', 'x1', '1x']) {
      expect(patchWith(WorkflowPatch.add(`/jobs/dev/steps/${index}`, { run: 'true' })))
        .toThrow(new RegExp(`^patches\\[0\\]\\.path must end in an index of the list \\(0 to ${count}, or '-' to append\\)`));
    }
    expect(patchWith(WorkflowPatch.add('/jobs/dev/steps/1', { run: 'true' }))).not.toThrow();
  });

  test('fails if a patch path goes through something other than a key or an index the workflow has', () => {
    const through = (path: string) => new RegExp(`^patches\\[0\\]\\.path names '${path}', which the workflow does not have`);
    // An index with a leading zero, a property of every list or object, a character of a string.
    expect(patchWith(WorkflowPatch.add('/jobs/dev/steps/01/name', 'x'))).toThrow(through('jobs/dev/steps/01'));
    expect(patchWith(WorkflowPatch.add('/jobs/dev/steps/length/x', 1))).toThrow(through('jobs/dev/steps/length'));
    expect(patchWith(WorkflowPatch.add('/jobs/constructor/x', 1))).toThrow(through('jobs/constructor'));
    expect(patchWith(WorkflowPatch.add('/name/0/x', 1))).toThrow(through('name/0'));
    expect(patchWith(WorkflowPatch.add('/jobs/dev/steps/1/name', 'x'))).not.toThrow();
    // Into a null the workflow has, or through it.
    const nothing = WorkflowPatch.add('/jobs/dev/env/EMPTY', null);
    expect(patchWith(nothing, WorkflowPatch.add('/jobs/dev/env/EMPTY/x', 1))).toThrow(/^patches\[1\]\.path must lead to an object or a list/);
    expect(patchWith(nothing, WorkflowPatch.add('/jobs/dev/env/EMPTY/x/y', 1)))
      .toThrow(/^patches\[1\]\.path names 'jobs\/dev\/env\/EMPTY\/x', which the workflow does not have/);
  });

  test('fails if a patch value is not JSON, or a patch is not a WorkflowPatch', () => {
    expect(patchWith(WorkflowPatch.add('/jobs/dev/x', undefined))).toThrow(/^patches\[0\]\.value must have a value of JSON types, got undefined/);
    expect(patchWith(WorkflowPatch.add('/jobs/dev/x', () => 1))).toThrow(/^patches\[0\]\.value must have a value of JSON types/);
    expect(patchWith(WorkflowPatch.add('/jobs/dev/steps/-', undefined))).toThrow(/^patches\[0\]\.value must have a value of JSON types/);
    expect(patchWith(WorkflowPatch.replace('/jobs/dev/steps/0', undefined))).toThrow(/^patches\[0\]\.value must have a value of JSON types/);
    expect(patchWith(WorkflowPatch.replace('/jobs/dev/name', undefined))).toThrow(/^patches\[0\]\.value must have a value of JSON types/);
    expect(patchWith(WorkflowPatch.replace('/jobs/dev/name', null))).not.toThrow();
    expect(() => examplePipeline().renderWorkflow({ patches: [{ op: 'add', path: '/x', value: 1 } as any] })).toThrow(/^patches\[0\] must be made with WorkflowPatch/);
  });

  test('fails if the patches are not a list', () => {
    expect(() => examplePipeline().renderWorkflow({ patches: 'add /jobs/dev/x' as any }))
      .toThrow(/^patches must be a list of WorkflowPatch, got 'add \/jobs\/dev\/x'$/);
    expect(() => examplePipeline().renderWorkflow({ patches: [] })).not.toThrow();
  });

  test('names the first patch that breaks a rule', () => {
    expect(patchWith(WorkflowPatch.add('/jobs/dev/x', 1), WorkflowPatch.remove('/jobs/dev/if'))).toThrow(/^patches\[1\] must not change if/);
  });
});
