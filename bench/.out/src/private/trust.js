"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.githubTrustContext = githubTrustContext;
exports.subjectClaims = subjectClaims;
exports.trustConditions = trustConditions;
exports.estimateTrustPolicyLength = estimateTrustPolicyLength;
const constants_1 = require("./constants");
/** The trust context for github.com tokens in the commercial partition. */
function githubTrustContext(owner, repo, ownerId, repositoryId) {
    return { owner, repo, ownerId, repositoryId, issuer: constants_1.GITHUB_ACTIONS_ISSUER, audience: constants_1.GITHUB_ACTIONS_AUDIENCE };
}
/**
 * The `sub` values a subject is admitted under: the name form, and with IDs also GitHub's
 * immutable form, which a re-created repository of the same name does not match.
 */
function subjectClaims(ctx, subject) {
    const suffix = subject._render();
    const claims = [`repo:${ctx.owner}/${ctx.repo}:${suffix}`];
    if (ctx.ownerId !== undefined && ctx.repositoryId !== undefined) {
        claims.push(`repo:${ctx.owner}@${ctx.ownerId}/${ctx.repo}@${ctx.repositoryId}:${suffix}`);
    }
    return claims;
}
/**
 * The conditions of the trust statements: one for the exact subjects (`StringEquals`) and one for
 * the patterns (`StringLike`). They cannot share a statement: IAM ANDs the operators of one statement.
 */
function trustConditions(ctx, subjects) {
    const groups = [subjects.filter(s => !s.isPattern), subjects.filter(s => s.isPattern)];
    return groups.filter(group => group.length > 0).map(group => {
        const sub = single(group.flatMap(s => subjectClaims(ctx, s)));
        const equals = { [`${ctx.issuer}:aud`]: ctx.audience };
        if (ctx.repositoryId !== undefined)
            equals[`${ctx.issuer}:repository_id`] = ctx.repositoryId;
        return group[0].isPattern
            ? { StringEquals: equals, StringLike: { [`${ctx.issuer}:sub`]: sub } }
            : { StringEquals: { ...equals, [`${ctx.issuer}:sub`]: sub } };
    });
}
function single(values) {
    return values.length === 1 ? values[0] : values;
}
/** The longest partition name, used when the provider ARN is a token. */
const LONGEST_PARTITION = 'aws-us-gov';
/**
 * The length of a trust policy as IAM counts it (whitespace removed), with every unresolved
 * value replaced by the longest provider ARN it can resolve to.
 */
function estimateTrustPolicyLength(stack, document, issuer) {
    const longestArn = `arn:${LONGEST_PARTITION}:iam::123456789012:oidc-provider/${issuer}`;
    const concrete = (value) => {
        if (Array.isArray(value))
            return value.map(concrete);
        if (value !== null && typeof value === 'object') {
            const keys = Object.keys(value);
            if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::')))
                return longestArn;
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, concrete(v)]));
        }
        return value;
    };
    return JSON.stringify(concrete(stack.resolve(document.toJSON()))).length;
}
