import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as signer from 'aws-cdk-lib/aws-signer';
import * as fc from 'fast-check';
import { parse } from 'yaml';
import { EcrSigningConfiguration, GithubIssuer, GithubOidcEcrPipeline, GithubOidcEcrPipelineProps, GithubReusableWorkflow, WorkflowOptions } from '../src';
import { LifecycleRuleJson, ModelImage, evaluateLifecycle, orphanedReferrers, workflowHistory } from './support/ecr-lifecycle-model';
import { VALIDATION_CONTEXT, pipelineProps } from './support/stack';
import { checkWorkflows } from './support/workflow-check';
import { DEFAULT_ACTIONS } from '../src/private/actions';
import { checkReferrerLifecycle, isRemovalRule, unsafeReferrerRule } from '../src/private/supply-chain';

const ACCOUNT = '111122223333';
const REGION = 'ap-northeast-1';
const ATTEST = `${DEFAULT_ACTIONS.attest.repository}@${DEFAULT_ACTIONS.attest.commit}`;
const SBOM = `${DEFAULT_ACTIONS.sbom.repository}@${DEFAULT_ACTIONS.sbom.commit}`;
const TWO = 'linux/amd64,linux/arm64';
const BUILT = 'steps.existing.outputs.digest == \'\'';
const IMAGE_NAME = '${{ steps.login-ecr.outputs.registry }}/${{ env.ECR_REPOSITORY }}';

function stackIn(app: App = new App({ context: VALIDATION_CONTEXT }), id = 'Stack', region = REGION): Stack {
  return new Stack(app, id, { env: { account: ACCOUNT, region } });
}

function pipeline(overrides: Partial<GithubOidcEcrPipelineProps> = {}, stack: Stack = stackIn()): GithubOidcEcrPipeline {
  return new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({
    environments: [{ name: 'dev', branches: ['dev'] }, { name: 'prod', branches: ['main'] }],
    ...overrides,
  }));
}

function jobOf(options: WorkflowOptions = {}, overrides: Partial<GithubOidcEcrPipelineProps> = {}, id = 'dev'): any {
  return parse(pipeline(overrides).renderWorkflow(options)).jobs[id];
}

const stepsUsing = (job: any, action: string): any[] => job.steps.filter((s: any) => typeof s.uses === 'string' && s.uses.startsWith(`${action}@`));

function notationProfile(stack: Stack, id = 'Profile'): signer.SigningProfile {
  return new signer.SigningProfile(stack, id, { platform: signer.Platform.NOTATION_OCI_SHA384_ECDSA });
}

function importedProfile(stack: Stack, name: string, id = `Imported${name}`): signer.ISigningProfile {
  return signer.SigningProfile.fromSigningProfileAttributes(stack, id, { signingProfileName: name, signingProfileVersion: 'v1' });
}

function synthErrors(stack: Stack): string[] {
  try {
    stack.node.root instanceof App && (stack.node.root as App).synth();
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}

// ---------------------------------------------------------------------------------------------

describe('build provenance', () => {
  test('each job attests the digest it pushed, with the pinned actions/attest, only when it built the image', () => {
    // GIVEN / WHEN
    const job = jobOf();
    const [attest] = stepsUsing(job, DEFAULT_ACTIONS.attest.repository);
    const steps: any[] = job.steps;

    // THEN
    expect(stepsUsing(job, DEFAULT_ACTIONS.attest.repository)).toHaveLength(1);
    expect(attest).toEqual({
      name: 'Attest the build provenance',
      if: BUILT,
      uses: ATTEST,
      with: {
        'subject-name': IMAGE_NAME,
        'subject-digest': '${{ steps.build.outputs.digest }}',
        'push-to-registry': true,
        'create-storage-record': false,
      },
    });
    // After the push, before the summary.
    expect(steps.indexOf(attest)).toBe(steps.findIndex(s => s.id === 'build') + 1);
    expect(steps.indexOf(attest)).toBe(steps.findIndex(s => s.name === 'Write the job summary') - 1);
    expect(stepsUsing(job, DEFAULT_ACTIONS.sbom.repository)).toEqual([]);
  });

  test('the pin is written with its release, and actions/attest runs on node24', () => {
    const workflow = pipeline().renderWorkflow();
    expect(workflow).toContain(`uses: ${ATTEST} # ${DEFAULT_ACTIONS.attest.release}\n`);
    expect(DEFAULT_ACTIONS.attest.runs).toBe('node24');
    expect(DEFAULT_ACTIONS.sbom.runs).toBe('node24');
  });

  test('each job gets attestations: write and nothing else beyond the workflow\'s permissions, with the reason beside it', () => {
    // GIVEN / WHEN
    const text = pipeline().renderWorkflow();
    const workflow = parse(text);

    // THEN
    expect(workflow.permissions).toEqual({ 'id-token': 'write', 'contents': 'read' });
    for (const job of Object.values<any>(workflow.jobs)) {
      expect(job.permissions).toEqual({ 'id-token': 'write', 'contents': 'read', 'attestations': 'write' });
    }
    expect(text).toContain('attestations: write # actions/attest stores the signed provenance (and SBOM) attestations of the pushed image\n');
    expect(text).not.toMatch(/packages:|artifact-metadata:/);
  });

  test('disableProvenance leaves out the step and the permission', () => {
    const job = jobOf({ supplyChain: { disableProvenance: true } });
    expect(stepsUsing(job, DEFAULT_ACTIONS.attest.repository)).toEqual([]);
    expect(job.permissions).toBeUndefined();
    expect(pipeline().renderWorkflow({ supplyChain: { disableProvenance: true } })).not.toContain('attestations');
  });

  test('extra permissions keep their reasons, beside attestations: write', () => {
    const job = jobOf({ extraPermissions: [{ scope: 'packages', access: 'read' }] });
    expect(job.permissions).toEqual({ 'id-token': 'write', 'contents': 'read', 'packages': 'read', 'attestations': 'write' });
    const text = pipeline().renderWorkflow({ extraPermissions: [{ scope: 'packages', access: 'write', reason: 'pushes the chart' }] });
    expect(text).toContain('      packages: write # pushes the chart\n      attestations: write # actions/attest stores the signed provenance (and SBOM) attestations of the pushed image\n');
  });

  test('with several platforms, the index\'s digest is attested', () => {
    const [attest] = stepsUsing(jobOf({ platforms: TWO }), DEFAULT_ACTIONS.attest.repository);
    expect(attest.with['subject-digest']).toBe('${{ steps.build.outputs.digest }}');
  });

  test('an Enterprise Server pipeline attests nothing: GitHub Enterprise Server has no artifact attestations', () => {
    const ghes = { issuer: GithubIssuer.enterpriseServer('github.example.com') };
    const job = jobOf({}, ghes);
    expect(stepsUsing(job, DEFAULT_ACTIONS.attest.repository)).toEqual([]);
    expect(job.permissions).toBeUndefined();
  });
});

describe('SBOM', () => {
  test('sbom generates an SPDX SBOM of the pushed image by digest and attests it', () => {
    // GIVEN / WHEN
    const job = jobOf({ supplyChain: { sbom: true } });
    const [generate] = stepsUsing(job, DEFAULT_ACTIONS.sbom.repository);
    const attests = stepsUsing(job, DEFAULT_ACTIONS.attest.repository);

    // THEN
    expect(generate).toEqual({
      name: 'Generate the SBOM',
      if: BUILT,
      uses: SBOM,
      with: {
        'image': `${IMAGE_NAME}@\${{ steps.build.outputs.digest }}`,
        'format': 'spdx-json',
        'output-file': '${{ runner.temp }}/sbom.spdx.json',
        'upload-artifact': false,
        'upload-release-assets': false,
      },
    });
    expect(attests.map(a => a.name)).toEqual(['Attest the build provenance', 'Attest the SBOM']);
    expect(attests[1].with).toEqual({
      'subject-name': IMAGE_NAME,
      'subject-digest': '${{ steps.build.outputs.digest }}',
      'sbom-path': '${{ runner.temp }}/sbom.spdx.json',
      'push-to-registry': true,
      'create-storage-record': false,
    });
    expect(job.steps.indexOf(attests[1])).toBe(job.steps.indexOf(generate) + 1);
  });

  test('with several platforms, each platform\'s image gets its own SBOM', () => {
    const job = jobOf({ platforms: TWO, supplyChain: { sbom: true } });
    const generated = stepsUsing(job, DEFAULT_ACTIONS.sbom.repository);
    expect(generated.map(s => s.with.image)).toEqual([
      `${IMAGE_NAME}@\${{ steps.build-linux-amd64.outputs.digest }}`,
      `${IMAGE_NAME}@\${{ steps.build-linux-arm64.outputs.digest }}`,
    ]);
    const sbomAttests = stepsUsing(job, DEFAULT_ACTIONS.attest.repository).filter(s => s.with['sbom-path'] !== undefined);
    expect(generated.map(s => s.name)).toEqual(['Generate the SBOM of the linux/amd64 image', 'Generate the SBOM of the linux/arm64 image']);
    expect(sbomAttests.map(s => s.name)).toEqual(['Attest the SBOM of the linux/amd64 image', 'Attest the SBOM of the linux/arm64 image']);
    expect(sbomAttests.map(s => [s.with['subject-digest'], s.with['sbom-path']])).toEqual([
      ['${{ steps.build-linux-amd64.outputs.digest }}', '${{ runner.temp }}/sbom-linux-amd64.spdx.json'],
      ['${{ steps.build-linux-arm64.outputs.digest }}', '${{ runner.temp }}/sbom-linux-arm64.spdx.json'],
    ]);
  });

  test('an SBOM without provenance still needs attestations: write', () => {
    const job = jobOf({ supplyChain: { disableProvenance: true, sbom: true } });
    expect(stepsUsing(job, DEFAULT_ACTIONS.attest.repository).map(s => s.name)).toEqual(['Attest the SBOM']);
    expect(job.permissions.attestations).toBe('write');
  });
});

describe('the supply-chain workflows are clean under actionlint and GitHub\'s workflow parser', () => {
  const variants: Record<string, WorkflowOptions> = {
    'default': {},
    'provenance off': { supplyChain: { disableProvenance: true } },
    'SBOM': { supplyChain: { sbom: true } },
    'SBOM, several platforms': { platforms: TWO, supplyChain: { sbom: true } },
    'SBOM, extra permissions, moving tag': { supplyChain: { sbom: true }, extraPermissions: [{ scope: 'packages', access: 'read' }] },
    'pinned versions given': { supplyChain: { sbom: true, attestVersion: 'v4.2.2', sbomActionVersion: DEFAULT_ACTIONS.sbom.commit } },
  };

  test.each(Object.keys(variants))('%s', name => {
    // GIVEN
    const workflow = pipeline().renderWorkflow(variants[name]);

    // WHEN
    const [result] = checkWorkflows([{ name, content: workflow }]).workflows;

    // THEN
    expect(result.actionlint).toEqual([]);
    expect(result.parser).toEqual([]);
  });
});

describe('supply-chain options', () => {
  const render = (options: WorkflowOptions, overrides: Partial<GithubOidcEcrPipelineProps> = {}) => () => pipeline(overrides).renderWorkflow(options);

  test('fails if supplyChain is not an object', () => {
    expect(render({ supplyChain: 'sbom' as any })).toThrow(/^supplyChain must be an object of supply-chain options, got 'sbom'/);
    expect(render({ supplyChain: null as any })).toThrow(/^supplyChain must be an object of supply-chain options, got null/);
    expect(render({ supplyChain: [] as any })).toThrow(/^supplyChain must be an object of supply-chain options, got \[\]/);
    expect(render({ supplyChain: {} })).not.toThrow();
  });

  test('fails if disableProvenance or sbom is not a boolean', () => {
    expect(render({ supplyChain: { disableProvenance: 'yes' as any } })).toThrow(/^supplyChain\.disableProvenance must be true or false, got 'yes'/);
    expect(render({ supplyChain: { sbom: 1 as any } })).toThrow(/^supplyChain\.sbom must be true or false, got 1/);
    expect(render({ supplyChain: { disableProvenance: false, sbom: false } })).not.toThrow();
  });

  test('fails if sbom is asked of an Enterprise Server pipeline', () => {
    const ghes = { issuer: GithubIssuer.enterpriseServer('github.example.com') };
    expect(render({ supplyChain: { sbom: true } }, ghes)).toThrow(/^supplyChain\.sbom cannot be true for a pipeline whose issuer is GitHub Enterprise Server/);
    expect(render({ supplyChain: { sbom: true } }, { issuer: GithubIssuer.enterpriseCloud('octo-enterprise') })).not.toThrow();
  });

  test('fails if an action version is a moving major tag', () => {
    expect(render({ supplyChain: { attestVersion: 'v4' } })).toThrow(/^supplyChain\.attestVersion must be a 40-character commit SHA or a full release tag.*got 'v4'/);
    expect(render({ supplyChain: { sbom: true, sbomActionVersion: 'v0' } })).toThrow(/^supplyChain\.sbomActionVersion must be a 40-character commit SHA or a full release tag.*got 'v0'/);
    const job = jobOf({ supplyChain: { sbom: true, attestVersion: 'v4.2.2', sbomActionVersion: 'v0.24.0' } });
    expect(stepsUsing(job, DEFAULT_ACTIONS.attest.repository)[0].uses).toBe('actions/attest@v4.2.2');
    expect(stepsUsing(job, DEFAULT_ACTIONS.sbom.repository)[0].uses).toBe('anchore/sbom-action@v0.24.0');
  });

  test('fails if supplyChain is given with a reusable workflow, whose central job builds and attests', () => {
    const reusableWorkflow = GithubReusableWorkflow.fromReference('octo-org/ci/.github/workflows/build.yml@refs/tags/v1');
    expect(render({ supplyChain: { sbom: true } }, { reusableWorkflow })).toThrow(/^supplyChain cannot be combined with reusableWorkflow/);
    // The default adds nothing to a calling job, which has no steps.
    const caller = parse(pipeline({ reusableWorkflow }).renderWorkflow()).jobs.dev;
    expect(caller.steps).toBeUndefined();
    expect(caller.permissions).toBeUndefined();
  });

  /** A pipeline whose `dev` repository expires untagged images, and so the referrers of tagged ones. */
  const untagged = { environments: [{ name: 'dev', branches: ['dev'], lifecycleRules: [{ tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(14) }] }] };

  test('fails if a repository has a lifecycle rule on untagged images while provenance is attested', () => {
    expect(render({}, untagged)).toThrow(/^supplyChain\.disableProvenance needs repositories whose lifecycle rules cannot expire the provenance attestations the workflow pushes while the image is kept.*environment 'dev' has rule 1 \(''\) on untagged images \(keep rules on tagged images only/);
    expect(render({ supplyChain: { disableProvenance: true } }, untagged)).not.toThrow();
    expect(render({ supplyChain: { disableProvenance: true, sbom: true } }, untagged)).toThrow(/^supplyChain\.sbom needs repositories whose lifecycle rules cannot expire the SBOM attestations.*, got true$/);
  });

  test('a repository whose job calls a central workflow is not checked: the central workflow decides what it attests', () => {
    const reusableWorkflow = GithubReusableWorkflow.fromReference('octo-org/ci/.github/workflows/build.yml@refs/tags/v1');
    expect(render({}, { ...untagged, reusableWorkflow })).not.toThrow();
  });

  test('fails if a rule on any images comes after a rule on tagged images', () => {
    const shielded = { environments: [{ name: 'dev', branches: ['dev'], lifecycleRules: [{ tagPrefixList: ['release'], maxImageCount: 9999 }], maxImageCount: 10 }] };
    expect(render({}, shielded)).toThrow(/environment 'dev' has rule 2 \('Keep at most 10 images'\) on any images after a rule on tagged images/);
    expect(render({}, { environments: [{ name: 'dev', branches: ['dev'], maxImageCount: 10 }] })).not.toThrow();
    expect(render({}, { environments: [{ name: 'dev', branches: ['dev'], lifecycleRules: [{ tagPrefixList: ['release'], maxImageCount: 9999 }] }] })).not.toThrow();
  });

  test('an imported repository is not checked: its rules are not known at synth time', () => {
    const stack = stackIn();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Legacy', 'legacy');
    expect(() => pipeline({ environments: [{ name: 'dev', branches: ['dev'], repository }] }, stack).renderWorkflow()).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------

describe('lifecycle rules and referrers', () => {
  const rulesOf = (props: Partial<GithubOidcEcrPipelineProps>): LifecycleRuleJson[] => {
    const stack = stackIn();
    pipeline(props, stack);
    const repository: any = Object.values(Template.fromStack(stack).findResources('AWS::ECR::Repository'))[0];
    return repository.Properties.LifecyclePolicy === undefined ? [] : JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
  };
  const envWith = (extra: object) => ({ environments: [{ name: 'dev', branches: ['dev'], ...extra }] });
  const NOW = 120;

  test('the default rule expires nothing the workflow pushes, and an image tagged for removal goes with its referrers', () => {
    // GIVEN
    const rules = rulesOf({});
    const history = workflowHistory(90, { sbom: true, signed: true, platforms: 2, extraTag: 'latest' });
    const removed: ModelImage[] = [
      { digest: 'old', tags: ['expire-old'], pushedAt: 3 },
      { digest: 'old-provenance', tags: [], pushedAt: 3.01, subject: 'old' },
    ];

    // WHEN / THEN
    expect(rules).toHaveLength(1);
    expect(unsafeReferrerRule(rules)).toBeUndefined();
    expect(evaluateLifecycle(rules, history, NOW).gone.size).toBe(0);
    const withRemoved = evaluateLifecycle(rules, [...history, ...removed], NOW);
    expect([...withRemoved.gone].sort()).toEqual(['old', 'old-provenance']);
    expect(orphanedReferrers([...history, ...removed], withRemoved)).toEqual([]);
  });

  test('fails if extraImageTag takes the prefix the default rule expires', () => {
    const moving = (tag: string) => () => pipeline({ environments: [{ name: 'dev', branches: ['dev'], mutableTags: [tag] }] }).renderWorkflow({ extraImageTag: tag });
    expect(moving('expire-soon')).toThrow(/^extraImageTag must not start with 'expire-': the repositories' default lifecycle rule expires images tagged so, got 'expire-soon'/);
    expect(moving('expire')).not.toThrow();
    expect(moving('latest')).not.toThrow();
  });

  test('maxImageCount keeps every referrer of a kept image, and the kept images are the newest', () => {
    // GIVEN the rules the construct writes, and what the workflow leaves behind
    const rules = rulesOf(envWith({ maxImageCount: 10 }));
    expect(rules.map(r => r.selection.tagStatus)).toEqual(['any']);
    const history = workflowHistory(30, { sbom: true, signed: true });

    // WHEN
    const result = evaluateLifecycle(rules, history, NOW);

    // THEN
    expect(unsafeReferrerRule(rules)).toBeUndefined();
    expect(orphanedReferrers(history, result)).toEqual([]);
    expect(result.gone.size).toBeGreaterThan(0);
    // Referrers count as images: the 10 manifests kept are the newest images and their referrers.
    const images = history.filter(i => i.subject === undefined);
    const kept = images.filter(i => !result.gone.has(i.digest));
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept).toEqual(images.slice(images.length - kept.length));
  });

  test('rules on tagged images keep the referrers of the images they keep', () => {
    const rules = rulesOf(envWith({ lifecycleRules: [{ tagPatternList: ['c1*'], maxImageAge: Duration.days(30) }] }));
    const history = workflowHistory(60, { signed: true, platforms: 2, sbom: true });
    const result = evaluateLifecycle(rules, history, NOW);
    expect(unsafeReferrerRule(rules)).toBeUndefined();
    expect(result.gone.size).toBeGreaterThan(0);
    expect(orphanedReferrers(history, result)).toEqual([]);
  });

  test('the model can fail: the old default rule on untagged images expires the attestations of kept images', () => {
    // GIVEN the rule this construct wrote before: untagged images expire 14 days after the push
    const rules = rulesOf(envWith({ lifecycleRules: [{ tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(14) }] }));
    const history = workflowHistory(30, { signed: true });

    // WHEN
    const result = evaluateLifecycle(rules, history, 30);

    // THEN every image is kept (tagged), but its provenance and signature of more than 14 days go
    expect(history.filter(i => i.subject === undefined).every(i => !result.gone.has(i.digest))).toBe(true);
    const stale = history.filter(i => i.subject !== undefined && 30 - i.pushedAt > 14);
    expect(stale.length).toBeGreaterThan(0);
    expect(orphanedReferrers(history, result).sort()).toEqual(stale.map(i => i.digest).sort());
    expect(unsafeReferrerRule(rules)?.selection?.tagStatus).toBe('untagged');
  });

  test('the model can fail: a rule on any images after one on tagged images expires the shielded images\' referrers', () => {
    const rules = rulesOf(envWith({ lifecycleRules: [{ tagPrefixList: ['c2'], maxImageCount: 9999 }], maxImageCount: 5 }));
    const history = workflowHistory(30, { signed: true });
    const result = evaluateLifecycle(rules, history, NOW);
    expect(orphanedReferrers(history, result).length).toBeGreaterThan(0);
    expect(unsafeReferrerRule(rules)?.rulePriority).toBe(2);
  });

  test('every rule set the check accepts keeps every referrer of every kept image (property, over random rules and histories)', () => {
    const rule = fc.record({
      tagStatus: fc.constantFrom('tagged', 'untagged', 'any'),
      countType: fc.constantFrom('imageCountMoreThan', 'sinceImagePushed', 'sinceImagePulled'),
      countNumber: fc.integer({ min: 1, max: 40 }),
      prefix: fc.constantFrom('c1', 'c2', 'c', 'latest'),
    });
    let accepted = 0;
    let refusedWouldOrphan = 0;
    fc.assert(fc.property(
      fc.array(rule, { minLength: 0, maxLength: 4 }),
      fc.integer({ min: 1, max: 40 }),
      fc.record({ platforms: fc.constantFrom(1, 2), sbom: fc.boolean(), signed: fc.boolean(), extraTag: fc.constantFrom(undefined, 'latest') }),
      (drawn, runs, options) => {
        const rules: LifecycleRuleJson[] = drawn.map((r, i) => ({
          rulePriority: i + 1,
          selection: {
            tagStatus: r.tagStatus,
            countType: r.countType,
            countNumber: r.countNumber,
            ...(r.tagStatus === 'tagged' ? { tagPrefixList: [r.prefix] } : {}),
          } as any,
        }));
        const history: ModelImage[] = workflowHistory(runs, options);
        // The model only knows push time; a rule counted by pull time is judged by it as the worst case.
        const modelRules = rules.map(r => r.selection.countType === 'sinceImagePulled' ? { ...r, selection: { ...r.selection, countType: 'sinceImagePushed' } } : r);
        const orphans = orphanedReferrers(history, evaluateLifecycle(modelRules, history, runs + 5));
        if (unsafeReferrerRule(rules) === undefined) {
          accepted++;
          expect(orphans).toEqual([]);
        } else if (orphans.length > 0) {
          refusedWouldOrphan++;
        }
      }), { numRuns: 400, seed: 16 });
    // Both sides were exercised.
    expect(accepted).toBeGreaterThan(20);
    expect(refusedWouldOrphan).toBeGreaterThan(20);
  });
});

describe('how a rule is read', () => {
  const removal = { rulePriority: 1, selection: { tagStatus: 'tagged', tagPrefixList: ['expire-'] } };

  test('the default rule is the only one read as the removal rule', () => {
    // The rule the construct writes, as ECR reads it.
    const stack = stackIn();
    pipeline({}, stack);
    const [written] = JSON.parse((Object.values(Template.fromStack(stack).findResources('AWS::ECR::Repository'))[0] as any).Properties.LifecyclePolicy.LifecyclePolicyText).rules;
    expect(written.description).toBe('Expire images tagged expire-* a day after they were pushed');
    expect(isRemovalRule(written)).toBe(true);
    expect(isRemovalRule(removal)).toBe(true);
  });

  test('a rule that could select another tag, or that selects untagged or any images, is not the removal rule', () => {
    const selecting = (selection: object) => isRemovalRule({ rulePriority: 1, selection: { ...removal.selection, ...selection } });
    expect(selecting({ tagStatus: 'any' })).toBe(false);
    expect(selecting({ tagStatus: 'untagged' })).toBe(false);
    expect(selecting({ tagPatternList: ['c*'] })).toBe(false);
    expect(selecting({ tagPrefixList: ['expire-', 'c'] })).toBe(false);
    expect(selecting({ tagPrefixList: ['c', 'expire-'] })).toBe(false);
    expect(selecting({ tagPrefixList: ['expire'] })).toBe(false);
    expect(selecting({ tagPrefixList: [] })).toBe(false);
    expect(selecting({ tagPrefixList: undefined })).toBe(false);
    expect(isRemovalRule({ rulePriority: 1 })).toBe(false);
  });

  test('an any rule is safe only when counted by push time: by image count or by age since the push', () => {
    const anyRule = (countType: string) => ({ rulePriority: 1, selection: { tagStatus: 'any', countType } });
    expect(unsafeReferrerRule([anyRule('imageCountMoreThan')])).toBeUndefined();
    expect(unsafeReferrerRule([anyRule('sinceImagePushed')])).toBeUndefined();
    // ECR's lifecycle policies also count by pull and by transition to the archive class: a
    // referrer is pulled and archived on its own, not with its image.
    expect(unsafeReferrerRule([anyRule('sinceImagePulled')])).toEqual(anyRule('sinceImagePulled'));
    expect(unsafeReferrerRule([anyRule('sinceImageTransitioned')])).toEqual(anyRule('sinceImageTransitioned'));
    expect(unsafeReferrerRule([{ rulePriority: 1, selection: { tagStatus: 'any' } }])).toEqual({ rulePriority: 1, selection: { tagStatus: 'any' } });
  });

  test('rules are read in priority order, whatever order they are written in', () => {
    const tagged = { rulePriority: 1, selection: { tagStatus: 'tagged', tagPrefixList: ['c'], countType: 'imageCountMoreThan' } };
    const anyRule = { rulePriority: 2, selection: { tagStatus: 'any', countType: 'imageCountMoreThan' } };
    // The tagged rule shields its images from the any rule, which would still select their referrers.
    expect(unsafeReferrerRule([anyRule, tagged])).toBe(anyRule);
    expect(unsafeReferrerRule([tagged, anyRule])).toBe(anyRule);
    const first = { rulePriority: 1, selection: { tagStatus: 'untagged' } };
    const third = { rulePriority: 3, selection: { tagStatus: 'untagged' } };
    expect(unsafeReferrerRule([third, first])).toBe(first);
    expect(unsafeReferrerRule([third, { rulePriority: 2, selection: { tagStatus: 'tagged', tagPrefixList: ['c'] } }, first])).toBe(first);
    // A rule without a priority is read first, as priority 0.
    const unnumbered = { selection: { tagStatus: 'untagged' } };
    expect(unsafeReferrerRule([first, unnumbered])).toBe(unnumbered);
  });

  test('a rule without a selection is unsafe, and its refusal names it', () => {
    const bare = { rulePriority: 4, description: 'no selection' };
    expect(unsafeReferrerRule([bare])).toBe(bare);
    expect(() => checkReferrerLifecycle('dev', [bare], 'supplyChain.sbom', true, 'the SBOM attestations'))
      .toThrow(/^supplyChain\.sbom needs repositories .*environment 'dev' has rule 4 \('no selection'\) with no selection\.tagStatus \(keep rules/);
    // A selection without a tag status is read the same way.
    const statusless = { rulePriority: 5, description: 'no status', selection: { countType: 'imageCountMoreThan', countNumber: 3 } };
    expect(() => checkReferrerLifecycle('dev', [statusless], 'supplyChain.sbom', true, 'the SBOM attestations'))
      .toThrow(/^supplyChain\.sbom needs repositories .*environment 'dev' has rule 5 \('no status'\) with no selection\.tagStatus \(keep rules/);
    expect(() => checkReferrerLifecycle('dev', undefined, 'supplyChain.sbom', true, 'the SBOM attestations')).not.toThrow();
    expect(() => checkReferrerLifecycle('dev', [], 'supplyChain.sbom', true, 'the SBOM attestations')).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------

describe('signing', () => {
  const rolePolicies = (template: Template) => Object.values<any>(template.findResources('AWS::IAM::Role'))
    .map(role => role.Properties.Policies.find((p: any) => p.PolicyName === 'EcrPush').PolicyDocument.Statement);

  test('each role may call signer:SignPayload on the pipeline\'s profile and nothing else of Signer (an imported profile\'s ARN with one \'/\')', () => {
    // GIVEN
    const stack = stackIn();
    const profile = importedProfile(stack, 'octo_images');
    pipeline({ signingProfile: profile }, stack);

    // WHEN
    const statements = rolePolicies(Template.fromStack(stack));

    // THEN
    expect(statements).toHaveLength(2);
    for (const policy of statements) {
      const signing = policy.filter((s: any) => JSON.stringify(s.Action).includes('signer:'));
      expect(signing).toEqual([{
        Sid: 'SignOnPushWithProfile',
        Effect: 'Allow',
        Action: 'signer:SignPayload',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:signer:${REGION}:${ACCOUNT}:/signing-profiles/octo_images`]] },
      }]);
    }
  });

  test('a profile defined in the stack is referenced by its ARN attribute', () => {
    const stack = stackIn();
    const profile = notationProfile(stack);
    pipeline({ signingProfile: profile }, stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      Policies: [{ PolicyName: 'EcrPush', PolicyDocument: { Statement: Match.arrayWith([{ Sid: 'SignOnPushWithProfile', Effect: 'Allow', Action: 'signer:SignPayload', Resource: { 'Fn::GetAtt': [stack.getLogicalId(profile.node.defaultChild as signer.CfnSigningProfile), 'Arn'] } }]) } }],
    });
  });

  test('without signingProfile, no role has any signer: action', () => {
    const stack = stackIn();
    pipeline({}, stack);
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('signer:');
  });

  test('fails if signingProfile is not a signing profile', () => {
    expect(() => pipeline({ signingProfile: 'arn:aws:signer:ap-northeast-1:111122223333:/signing-profiles/x' as any }))
      .toThrow(/^signingProfile must be an AWS Signer signing profile \(signer\.ISigningProfile\)/);
  });

  test('fails if the profile is not for the Notation platform', () => {
    const stack = stackIn();
    const lambdaProfile = new signer.SigningProfile(stack, 'LambdaProfile', { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA });
    expect(() => pipeline({ signingProfile: lambdaProfile }, stack)).toThrow(/^signingProfile must be a profile for the platform 'Notation-OCI-SHA384-ECDSA'.*got 'AWSLambda-SHA384-ECDSA'/);
    const other = stackIn();
    expect(() => pipeline({ signingProfile: notationProfile(other) }, other)).not.toThrow();
  });

  test('fails if a literal profile name is outside CloudFormation\'s pattern (2 or more of letters, digits, _)', () => {
    const stack = () => stackIn();
    const withName = (name: string) => { const s = stack(); return () => pipeline({ signingProfile: importedProfile(s, name, 'P') }, s); };
    expect(withName('a')).toThrow(/^signingProfile must have an unversioned signing profile ARN.*got 'arn:.*\/signing-profiles\/a'/);
    expect(withName('ab')).not.toThrow();
    expect(withName('octo-images')).toThrow(/^signingProfile must have an unversioned signing profile ARN/);
  });

  test('fails if a repository has a lifecycle rule that could expire signatures', () => {
    const stack = stackIn();
    const signingProfile = importedProfile(stack, 'octo_images');
    expect(() => new GithubOidcEcrPipeline(stack, 'Pipeline', pipelineProps({
      signingProfile,
      environments: [{ name: 'dev', branches: ['dev'], lifecycleRules: [{ tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(1) }] }],
    }))).toThrow(/^signingProfile needs repositories whose lifecycle rules cannot expire the signatures ECR managed signing pushes while the image is kept/);
    expect(() => new GithubOidcEcrPipeline(stack, 'Other', pipelineProps({
      githubRepository: 'octo-org/other',
      signingProfile,
      environments: [{ name: 'dev', branches: ['dev'], maxImageCount: 50 }],
    }))).not.toThrow();
  });
});

describe('EcrSigningConfiguration', () => {
  test('renders one AWS::ECR::SigningConfiguration with the rules and WILDCARD_MATCH filters', () => {
    // GIVEN
    const stack = stackIn();
    const profile = notationProfile(stack);
    const other = importedProfile(stack, 'team_b');

    // WHEN
    new EcrSigningConfiguration(stack, 'Signing', {
      rules: [{ signingProfile: profile, repositoryFilters: ['octo-repo-*', 'shared/base'] }, { signingProfile: other }],
    });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ECR::SigningConfiguration', 1);
    template.hasResourceProperties('AWS::ECR::SigningConfiguration', {
      Rules: [
        {
          SigningProfileArn: { 'Fn::GetAtt': [stack.getLogicalId(profile.node.defaultChild as signer.CfnSigningProfile), 'Arn'] },
          RepositoryFilters: [{ Filter: 'octo-repo-*', FilterType: 'WILDCARD_MATCH' }, { Filter: 'shared/base', FilterType: 'WILDCARD_MATCH' }],
        },
        { SigningProfileArn: Match.anyValue(), RepositoryFilters: Match.absent() },
      ],
    });
  });

  test('fails if there are not 1 to 10 rules', () => {
    const rules = (n: number) => () => {
      const stack = stackIn();
      const profile = importedProfile(stack, 'octo_images');
      return new EcrSigningConfiguration(stack, 'Signing', { rules: Array.from({ length: n }, () => ({ signingProfile: profile })) });
    };
    expect(rules(0)).toThrow(/^rules must list 1 to 10 signing rules \(ECR's limit per registry\), got '0 rules'/);
    expect(rules(1)).not.toThrow();
    expect(rules(10)).not.toThrow();
    expect(rules(11)).toThrow(/^rules must list 1 to 10 signing rules.*got '11 rules'/);
  });

  test('fails if a rule has not 1 to 100 repository filters', () => {
    const filters = (n: number) => () => {
      const stack = stackIn();
      return new EcrSigningConfiguration(stack, 'Signing', { rules: [{ signingProfile: importedProfile(stack, 'octo_images'), repositoryFilters: Array.from({ length: n }, (_, i) => `repo-${i}`) }] });
    };
    expect(filters(0)).toThrow(/^rules\[0\]\.repositoryFilters must list 1 to 100 repository filters, or be left out/);
    expect(filters(1)).not.toThrow();
    expect(filters(100)).not.toThrow();
    expect(filters(101)).toThrow(/^rules\[0\]\.repositoryFilters must list 1 to 100/);
  });

  test('fails if a filter is outside ECR\'s pattern or 1 to 256 characters', () => {
    const filter = (value: string) => () => {
      const stack = stackIn();
      return new EcrSigningConfiguration(stack, 'Signing', { rules: [{ signingProfile: importedProfile(stack, 'octo_images'), repositoryFilters: [value] }] });
    };
    expect(filter('Octo-*')).toThrow(/^rules\[0\]\.repositoryFilters\[0\] must be an ECR repository filter of 1 to 256 characters.*got 'Octo-\*'/);
    expect(filter('octo--repo')).toThrow(/^rules\[0\]\.repositoryFilters\[0\] must be an ECR repository filter/);
    expect(filter('')).toThrow(/^rules\[0\]\.repositoryFilters\[0\] must be an ECR repository filter/);
    expect(filter('a'.repeat(256))).not.toThrow();
    expect(filter('a'.repeat(257))).toThrow(/^rules\[0\]\.repositoryFilters\[0\] must be an ECR repository filter of 1 to 256 characters/);
    expect(filter('*/prod')).not.toThrow();
  });

  test('fails if a rule\'s profile is not a Notation profile', () => {
    const stack = stackIn();
    const lambdaProfile = new signer.SigningProfile(stack, 'LambdaProfile', { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA });
    expect(() => new EcrSigningConfiguration(stack, 'Signing', { rules: [{ signingProfile: lambdaProfile }] }))
      .toThrow(/^rules\[0\]\.signingProfile must be a profile for the platform 'Notation-OCI-SHA384-ECDSA'/);
    expect(() => new EcrSigningConfiguration(stack, 'Signing2', { rules: [{ signingProfile: notationProfile(stack) }] })).not.toThrow();
  });

  test('fails if a second configuration is created for the same registry, in the stack or in another stack of the app', () => {
    // GIVEN
    const app = new App({ context: VALIDATION_CONTEXT });
    const first = stackIn(app, 'First');
    new EcrSigningConfiguration(first, 'Signing', { rules: [{ signingProfile: importedProfile(first, 'octo_images') }] });

    // WHEN / THEN
    expect(() => new EcrSigningConfiguration(first, 'Again', { rules: [{ signingProfile: importedProfile(first, 'octo_images', 'P2') }] }))
      .toThrow(/^EcrSigningConfiguration 'First\/Again' would be a second signing configuration for the registry of account 111122223333 in ap-northeast-1, which already has 'First\/Signing'/);
    const sameRegistry = stackIn(app, 'Second');
    expect(() => new EcrSigningConfiguration(sameRegistry, 'Signing', { rules: [{ signingProfile: importedProfile(sameRegistry, 'octo_images') }] }))
      .toThrow(/would be a second signing configuration for the registry of account 111122223333 in ap-northeast-1/);
    // Another region is another registry.
    const otherRegion = stackIn(app, 'Third', 'eu-west-1');
    expect(() => new EcrSigningConfiguration(otherRegion, 'Signing', { rules: [{ signingProfile: importedProfile(otherRegion, 'octo_images') }] })).not.toThrow();
  });

  test('fails at synth if the stack also has a raw AWS::ECR::SigningConfiguration', () => {
    const stack = stackIn();
    new EcrSigningConfiguration(stack, 'Signing', { rules: [{ signingProfile: importedProfile(stack, 'octo_images') }] });
    new ecr.CfnSigningConfiguration(stack, 'Raw', { rules: [] });
    expect(synthErrors(stack).join('\n')).toMatch(/stack 'Stack' has 2 AWS::ECR::SigningConfiguration resources \('Stack\/Signing\/Resource' and 'Stack\/Raw'\)/);
    const alone = stackIn();
    new EcrSigningConfiguration(alone, 'Signing', { rules: [{ signingProfile: importedProfile(alone, 'octo_images') }] });
    expect(synthErrors(alone)).toEqual([]);
  });

  test('fails at synth if no rule signs a repository of the pipeline with its profile', () => {
    const build = (filters: string[] | undefined, sameProfile = true) => {
      const stack = stackIn();
      const profile = importedProfile(stack, 'octo_images');
      new EcrSigningConfiguration(stack, 'Signing', { rules: [{ signingProfile: sameProfile ? profile : importedProfile(stack, 'team_b'), repositoryFilters: filters }] });
      pipeline({ signingProfile: profile }, stack);
      return synthErrors(stack).join('\n');
    };
    expect(build(['octo-repo-dev'])).toMatch(/signingProfile: no rule of the EcrSigningConfiguration 'Stack\/Signing' signs the repository 'octo-repo-prod' of environment 'prod' with this profile/);
    expect(build(['octo-repo-dev'])).not.toMatch(/'octo-repo-dev'/);
    expect(build(['octo-repo-*'])).toBe('');
    expect(build(undefined)).toBe('');
    expect(build(['octo-repo-*'], false)).toMatch(/no rule of the EcrSigningConfiguration 'Stack\/Signing' signs the repository 'octo-repo-dev'/);
  });

  test('a pipeline whose registry has no EcrSigningConfiguration in the app is not checked: it may be managed elsewhere', () => {
    const stack = stackIn();
    pipeline({ signingProfile: importedProfile(stack, 'octo_images') }, stack);
    expect(synthErrors(stack)).toEqual([]);
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });
});
