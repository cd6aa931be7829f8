package com.example.pushimage;

import java.util.List;

import io.github.cdkgithuboidcecr.GithubOidcEcrPipeline;
import io.github.cdkgithuboidcecr.PipelineEnvironmentProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.BootstraplessSynthesizer;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * The seed scenario in Java, as example/app.ts writes it in TypeScript: shamimice03/push-image-to-ecr
 * pushes {@code dev} to cloudterms-dev and {@code main} to cloudterms-prod. The stack has no assets,
 * so it needs no {@code cdk bootstrap}.
 */
public final class PushImageToEcrApp {
    private PushImageToEcrApp() {
    }

    public static void main(final String[] args) {
        App app = new App();
        Stack stack = new Stack(app, "PushImageToEcr", StackProps.builder()
                .env(Environment.builder().region("ap-northeast-1").build())
                .synthesizer(new BootstraplessSynthesizer())
                .build());

        GithubOidcEcrPipeline pipeline = GithubOidcEcrPipeline.Builder.create(stack, "Pipeline")
                .githubRepository("shamimice03/push-image-to-ecr")
                .repositoryPrefix("cloudterms")
                .environments(List.of(
                        PipelineEnvironmentProps.builder().name("dev").branches(List.of("dev")).build(),
                        PipelineEnvironmentProps.builder().name("prod").branches(List.of("main")).build()))
                .build();

        CloudAssembly assembly = app.synth();
        // The workflow goes next to the template; in an application repository, into .github/workflows.
        pipeline.writeWorkflow(assembly.getDirectory());
    }
}
