// Usage: node compare.js REFERENCE_DIR OUT_DIR FILE...
// Each FILE in OUT_DIR must be byte-identical to the one in REFERENCE_DIR (the TypeScript
// example's). Nothing is normalised: the same app in any language must synthesize the same bytes.
// On a difference it says whether the JSON still parses equal, and shows the first differing lines.
const fs = require('fs');
const path = require('path');

const [refDir, outDir, ...files] = process.argv.slice(2);
let failed = 0;
for (const file of files) {
  const refPath = path.join(refDir, file);
  const outPath = path.join(outDir, file);
  if (!fs.existsSync(refPath)) { fail(`${refPath} (the TypeScript reference) does not exist`); continue; }
  if (!fs.existsSync(outPath)) { fail(`${outPath} was not written`); continue; }
  const ref = fs.readFileSync(refPath, 'utf8');
  const out = fs.readFileSync(outPath, 'utf8');
  if (ref === out) {
    console.log(`  identical: ${file} (${Buffer.byteLength(out)} bytes)`);
    continue;
  }
  let json = '';
  if (file.endsWith('.json')) {
    try { json = isDeepStrictEqual(JSON.parse(ref), JSON.parse(out)) ? ' (equal as JSON, different bytes)' : ' (different as JSON too)'; } catch (e) { json = ` (not JSON: ${e.message})`; }
  }
  fail(`${outPath} differs from the TypeScript example's ${refPath}${json}\n${firstDifference(ref, out)}`);
}
process.exit(failed ? 1 : 0);

function fail(message) {
  failed++;
  console.error(`  DIFFERENT: ${message}`);
}

function isDeepStrictEqual(a, b) {
  return require('util').isDeepStrictEqual(a, b);
}

function firstDifference(ref, out) {
  const a = ref.split('\n');
  const b = out.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const cut = line => (line.length > 160 ? `${line.slice(0, 160)}... (${line.length} chars)` : line);
  const lines = [`    first difference at line ${i + 1}:`];
  for (let j = Math.max(0, i - 2); j < Math.min(Math.max(a.length, b.length), i + 3); j++) {
    if (a[j] === b[j]) lines.push(`      ${cut(a[j] ?? '')}`);
    else {
      if (j < a.length) lines.push(`    - ${cut(a[j])}`);
      if (j < b.length) lines.push(`    + ${cut(b[j])}`);
    }
  }
  return lines.join('\n');
}
