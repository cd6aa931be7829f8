import { fail } from './validation';

/*
 * Shape checks for callers that bypass TypeScript: plain JavaScript, JSON-loaded props, and jsii
 * languages that pass null. Each refusal names the property, as the value checks do, instead of
 * a TypeError from deep inside aws-cdk-lib.
 */

type Kind = 'string' | 'boolean' | 'number' | 'object' | 'function';

/** `value` must be of `kind`, or undefined when `optional`. */
export function checkType(property: string, value: unknown, kind: Kind, optional: boolean): void {
  if (value === undefined && optional) return;
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (actual !== kind) fail(property, value, `must be ${article(kind)}${optional ? ' or left out' : ''}, not ${article(actual)}`);
}

/** `value` must be an array of `kind`, or undefined when `optional`. */
export function checkArray(property: string, value: unknown, kind: Kind | undefined, optional: boolean): void {
  if (value === undefined && optional) return;
  if (!Array.isArray(value)) {
    const actual = value === null ? 'null' : typeof value;
    fail(property, value, `must be an array${optional ? ' or left out' : ''}, not ${article(actual)}${typeof value === 'string' ? ` (write [${JSON.stringify(value)}])` : ''}`);
  }
  if (kind !== undefined) value.forEach((item, i) => checkType(`${property}[${i}]`, item, kind, false));
}

/** `value` must pass `isInstance` (an `instanceof` test), or be undefined when `optional`. */
export function checkInstance(property: string, value: unknown, isInstance: (value: unknown) => boolean, name: string, optional: boolean): void {
  if (value === undefined && optional) return;
  if (!isInstance(value)) fail(property, value, `must be ${article(name)}${optional ? ' or left out' : ''}`);
}

function article(kind: string): string {
  if (kind === 'null' || kind === 'undefined') return kind;
  return /^[aeiou]/i.test(kind) ? `an ${kind}` : `a ${kind}`;
}
