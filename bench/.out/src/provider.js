"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.GithubActionsOidcProvider = void 0;
const aws_cdk_lib_1 = require("aws-cdk-lib");
const iam = __importStar(require("aws-cdk-lib/aws-iam"));
const constants_1 = require("./private/constants");
/**
 * The IAM OIDC identity provider for GitHub Actions (`token.actions.githubusercontent.com`).
 *
 * A native `AWS::IAM::OIDCProvider`: no Lambda and no custom resource. An account can hold only
 * one provider for this URL; where it already exists, use `GithubActionsOidcProvider.fromAccount`.
 *
 * @resource AWS::IAM::OIDCProvider
 */
class GithubActionsOidcProvider extends iam.OidcProviderNative {
    /**
     * Import the GitHub Actions provider that already exists in the stack's account.
     *
     * The ARN is built from the stack's partition and account, so it works in every partition.
     *
     * @param scope the scope to import into
     * @param id the construct id of the imported provider
     */
    static fromAccount(scope, id) {
        const arn = aws_cdk_lib_1.Arn.format({
            service: 'iam',
            region: '',
            resource: 'oidc-provider',
            resourceName: constants_1.GITHUB_ACTIONS_ISSUER,
        }, aws_cdk_lib_1.Stack.of(scope));
        return iam.OidcProviderNative.fromOidcProviderArn(scope, id, arn);
    }
    constructor(scope, id, props = {}) {
        super(scope, id, {
            url: `https://${constants_1.GITHUB_ACTIONS_ISSUER}`,
            clientIds: [constants_1.GITHUB_ACTIONS_AUDIENCE],
            removalPolicy: props.removalPolicy ?? aws_cdk_lib_1.RemovalPolicy.RETAIN,
        });
    }
}
exports.GithubActionsOidcProvider = GithubActionsOidcProvider;
