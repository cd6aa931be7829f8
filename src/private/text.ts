/** `dev-eu_1` → `DevEu1`, for construct ids: words split at `-` and `_`. */
export function pascalCase(name: string): string {
  return name.split(/[-_]/).map(part => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

/**
 * A pattern whose only wildcard is `*` (any run of characters), as a regular expression: the
 * patterns this construct accepts (branch and tag patterns, ECR tag filters) allow nothing else.
 */
export function starPattern(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`);
}
