module push-image-to-ecr

go 1.23

require (
	github.com/aws/aws-cdk-go/awscdk/v2 v2.262.0
	github.com/aws/constructs-go/constructs/v10 v10.5.1
	github.com/aws/jsii-runtime-go v1.140.0
	github.com/cdk-github-oidc-ecr/cdk-github-oidc-ecr-go/cdkgithuboidcecr v0.0.0
)
