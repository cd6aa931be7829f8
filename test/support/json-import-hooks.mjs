// @actions/workflow-parser imports its schema JSON without an import attribute, which Node 20
// refuses; this loader hook adds `type: 'json'` to such imports.
export async function load(url, context, nextLoad) {
  if (url.endsWith('.json') && context.importAttributes?.type === undefined) {
    return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
  }
  return nextLoad(url, context);
}
