#!/usr/bin/env bash
# Rebuilds samples/WebChat/wwwroot/vendor/ag-ui-client.js: ONE ES module bundled by esbuild from @ag-ui/client (and
# everything it imports) at the versions package-lock.json pins, so the WebChat page needs no front-end build at run
# time. The file's header names every bundled package with its version and license, and this command.
# Then proves the bundle loads: node imports it and constructs an HttpAgent.
#
# Usage: build/agui-client/bundle.sh        (needs node and npm; installs into a temporary folder, removed after)
# Commit the rebuilt file with a change to package.json/package-lock.json; the AG-UI harness test imports it too.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
out="$repo_root/samples/WebChat/wwwroot/vendor/ag-ui-client.js"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$here/package.json" "$here/package-lock.json" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --loglevel=error) >&2

mkdir -p "$(dirname "$out")"
cd "$work"
OUT="$out" node --input-type=module <<'JS'
import { build } from "esbuild";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

const result = await build({
  stdin: { contents: 'export * from "@ag-ui/client";', resolveDir: process.cwd(), loader: "js" },
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  legalComments: "none",
  metafile: true,
  write: false,
  logLevel: "warning",
});

// Every package some bundled file came from, with its version and license, read from its own package.json; their
// license texts go to the end of the file, since a copy of the code must carry them.
const packages = new Map();
const notices = [];
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (!match || packages.has(match[1])) continue;
  const folder = `node_modules/${match[1]}`;
  const manifest = JSON.parse(readFileSync(`${folder}/package.json`, "utf8"));
  const license = typeof manifest.license === "string" ? manifest.license : manifest.license?.type ?? "see its package";
  packages.set(match[1], `${manifest.name}@${manifest.version}, license ${license}`);
  const file = readdirSync(folder).find((name) => /^(licen[cs]e|copying)/i.test(name));
  const text = file ? readFileSync(`${folder}/${file}`, "utf8").trim() : `(no license file in the package; its package.json says ${license})`;
  notices.push(`${manifest.name}@${manifest.version}:\n${text.replaceAll("*/", "* /")}`);
}
const esbuildVersion = JSON.parse(readFileSync("node_modules/esbuild/package.json", "utf8")).version;
const header = [
  "// @ag-ui/client for the browser: one ES module, bundled by esbuild " + esbuildVersion + " (minified) from these packages:",
  ...[...packages.values()].sort().map((line) => "//   " + line),
  "// Their license texts are in the comment at the end of this file. Generated: do not edit.",
  "// Rebuild: build/agui-client/bundle.sh (versions pinned by build/agui-client/package-lock.json).",
  "",
].join("\n");
notices.sort();
const footer = "/*\nLicenses of the bundled packages:\n\n" + notices.join("\n\n----\n\n") + "\n*/\n";
writeFileSync(process.env.OUT, header + result.outputFiles[0].text + footer);
JS

# The proof it loads: import it as a module and construct the agent a page constructs.
node --input-type=module -e "
const { HttpAgent } = await import('file://$out');
const agent = new HttpAgent({ url: 'http://127.0.0.1:1/agui' });
if (typeof agent.runAgent !== 'function') throw new Error('HttpAgent has no runAgent');
console.error('bundle.sh: ' + '$out'.replace('$repo_root/', '') + ' loads; HttpAgent constructed.');
"
