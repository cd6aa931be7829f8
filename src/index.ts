// Named exports, unlike STYLE.md rule 1 ("only export *"): a concept file then keeps its internal
// types and helpers beside its class, exported to the other modules but not to jsii.
export { GithubSubject, GithubSubjectKind } from './subject';
export { GithubIssuer } from './issuer';
export { GithubActionsOidcProvider, type GithubActionsOidcProviderProps } from './provider';
export { PipelineEnvironment, type PipelineEnvironmentProps } from './environment';
export type { PipelineImage } from './image';
export { GithubOidcEcrPipeline, type GithubOidcEcrPipelineProps } from './pipeline';
export { GithubReusableWorkflow } from './reusable-workflow';
export type { WorkflowOptions, WorkflowPermission, WorkflowStep } from './workflow';
export type { RoleVerdict, TokenClaims, TrustExplanation } from './explain';
export { WorkflowPatch } from './workflow-patch';
export type { SupplyChainOptions } from './supply-chain';
export { EcrSigningConfiguration, type EcrSigningConfigurationProps, type EcrSigningRule } from './signing-configuration';
