// The seed scenario in Go, as example/app.ts writes it in TypeScript: shamimice03/push-image-to-ecr
// pushes dev to cloudterms-dev and main to cloudterms-prod. The stack has no assets, so it needs no
// `cdk bootstrap`.
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-github-oidc-ecr/cdk-github-oidc-ecr-go/cdkgithuboidcecr"
)

func main() {
	defer jsii.Close()

	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("PushImageToEcr"), &awscdk.StackProps{
		Env:         &awscdk.Environment{Region: jsii.String("ap-northeast-1")},
		Synthesizer: awscdk.NewBootstraplessSynthesizer(&awscdk.BootstraplessSynthesizerProps{}),
	})

	pipeline := cdkgithuboidcecr.NewGithubOidcEcrPipeline(stack, jsii.String("Pipeline"), &cdkgithuboidcecr.GithubOidcEcrPipelineProps{
		GithubRepository: jsii.String("shamimice03/push-image-to-ecr"),
		RepositoryPrefix: jsii.String("cloudterms"),
		Environments: &[]*cdkgithuboidcecr.PipelineEnvironmentProps{
			{Name: jsii.String("dev"), Branches: jsii.Strings("dev")},
			{Name: jsii.String("prod"), Branches: jsii.Strings("main")},
		},
	})

	assembly := app.Synth(nil)
	// The workflow goes next to the template; in an application repository, into .github/workflows.
	pipeline.WriteWorkflow(assembly.Directory(), nil)
}
