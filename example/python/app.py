#!/usr/bin/env python3
"""The seed scenario in Python, as example/app.ts writes it in TypeScript.

shamimice03/push-image-to-ecr pushes `dev` to cloudterms-dev and `main` to cloudterms-prod. The
stack has no assets, so it needs no `cdk bootstrap`. `cdk synth` writes the template, and the app
writes the GitHub Actions workflow next to it.
"""
from aws_cdk import App, BootstraplessSynthesizer, Environment, Stack
from cdk_github_oidc_ecr import GithubOidcEcrPipeline, PipelineEnvironmentProps

app = App()
stack = Stack(
    app,
    "PushImageToEcr",
    env=Environment(region="ap-northeast-1"),
    synthesizer=BootstraplessSynthesizer(),
)
pipeline = GithubOidcEcrPipeline(
    stack,
    "Pipeline",
    github_repository="shamimice03/push-image-to-ecr",
    repository_prefix="cloudterms",
    environments=[
        PipelineEnvironmentProps(name="dev", branches=["dev"]),
        PipelineEnvironmentProps(name="prod", branches=["main"]),
    ],
)

assembly = app.synth()
# The workflow goes next to the template; in an application repository, into .github/workflows.
pipeline.write_workflow(assembly.directory)
