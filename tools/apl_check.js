#!/usr/bin/env node
// Validate APL documents with Amazon's apl-suggester (StaticAplTemplateValidator).
//
//   node tools/apl_check.js < input.json
//
// Input (stdin): {"<name>": {"document": {...}, "datasources": {...}}, ...}; a bare APL document
// is taken as {"document": <it>}. Output (stdout): {"<name>": [finding, ...], ...} where a finding
// is {"path", "errorMessage", "level"} as apl-suggester reports it; an empty list means valid.
// Exit code 0 whenever validation ran, 2 when the input could not be read.
'use strict';

// apl-suggester logs notes with console.log; keep stdout for the JSON answer alone.
console.log = console.info = console.warn = console.debug = (...args) => process.stderr.write(args.join(' ') + '\n');

const { StaticAplTemplateValidator } = require('apl-suggester');

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function plain(finding) {
  return { path: finding.path, errorMessage: finding.errorMessage, level: finding.level || 'ERROR' };
}

async function main() {
  let input;
  try {
    input = JSON.parse(await readStdin());
  } catch (err) {
    process.stderr.write(`apl_check: cannot read input: ${err.message}\n`);
    process.exit(2);
  }
  if (input && input.type === 'APL') {
    input = { document: { document: input } };
  }
  const validator = new StaticAplTemplateValidator();
  const out = {};
  for (const [name, entry] of Object.entries(input)) {
    const findings = (await validator.validate(entry.document)).map(plain);
    if (entry.datasources !== undefined) {
      const more = await validator.validateDataSources(entry.datasources);
      findings.push(...more.map(plain).map((f) => ({ ...f, path: `datasources${f.path ? '.' + f.path : ''}` })));
    }
    out[name] = findings;
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stderr.write(`apl_check: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
