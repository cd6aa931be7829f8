import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as signer from 'aws-cdk-lib/aws-signer';
import type { TrustContext, TrustedRun } from './trust';
import type { PipelineEnvironmentProps } from '../environment';
import type { GithubSubject } from '../subject';

/** What the pipeline hands each environment it creates. */
export interface EnvironmentOptions {
  readonly props: PipelineEnvironmentProps;
  /** The property path for error messages, e.g. `environments[1]`. */
  readonly path: string;
  readonly subjects: GithubSubject[];
  /** The runs the role trusts. */
  readonly runs: TrustedRun[];
  readonly repositoryName?: string;
  readonly trust: TrustContext;
  readonly provider: iam.IOidcProvider;
  readonly outputs: boolean;
  /** Supply chain: the profile ECR managed signing signs this environment's pushes with. */
  readonly signingProfile?: signer.ISigningProfile;
}
