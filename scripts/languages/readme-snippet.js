// Usage: node readme-snippet.js LANG
// Prints the one ```LANG block of README.md, so that the language job runs the README's own text
// and the example there cannot drift from what works. Fails unless there is exactly one.
const fs = require('fs');
const path = require('path');

const lang = process.argv[2];
const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const blocks = [...readme.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm'))].map(m => m[1]);
if (blocks.length !== 1) {
  console.error(`README.md has ${blocks.length} \`\`\`${lang} blocks; expected exactly one, the example that the ${lang} job runs`);
  process.exit(1);
}
process.stdout.write(blocks[0]);
