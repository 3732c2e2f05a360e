// The release as people get it, through the official MCP TypeScript SDK client:
//
// - the MCP Bundle (.mcpb), unpacked by the official tool, started the way
//   Claude Desktop starts it: the command, arguments and environment come
//   from @anthropic-ai/mcpb's own getMcpConfigForManifest (the code Claude
//   Desktop uses), with ${__dirname}, the user's settings and the linux
//   platform override resolved;
// - the container image's ENTRYPOINT, ENV and HEALTHCHECK, read from the
//   Dockerfile and run on the bundle's linux binary without a container
//   engine (none can run images on the CI machine), over streamable HTTP
//   with a per-request key.
//
//   BUNDLE_DIR=/path/to/unpacked/bundle node --test bundle.test.mjs
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { getMcpConfigForManifest } from '@anthropic-ai/mcpb/node';

import { DEMO, freePort, repoRoot, stopProcess } from './lib.mjs';

if (!process.env.BUNDLE_DIR) throw new Error('set BUNDLE_DIR to an unpacked .mcpb');
const bundleDir = resolve(process.env.BUNDLE_DIR);
const manifest = JSON.parse(readFileSync(join(bundleDir, 'manifest.json'), 'utf8'));

function textOf(res) {
  return (res.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
}

// connectBundle resolves the manifest as Claude Desktop would on Linux and
// connects over stdio.
async function connectBundle(userConfig) {
  const cfg = await getMcpConfigForManifest({
    manifest,
    extensionPath: bundleDir,
    systemDirs: {},
    userConfig,
    pathSeparator: '/',
  });
  assert.ok(cfg, 'no MCP config: required settings missing?');
  const client = new Client({ name: 'bundle-test', version: '1.0.0' });
  const transport = new StdioClientTransport({
    command: cfg.command,
    args: cfg.args ?? [],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...cfg.env },
    stderr: 'pipe',
  });
  await client.connect(transport);
  return { client, cfg };
}

describe('the MCP Bundle, started as Claude Desktop starts it', () => {
  it('resolves the linux entry point inside the bundle', async () => {
    const cfg = await getMcpConfigForManifest({ manifest, extensionPath: bundleDir, systemDirs: {}, userConfig: {}, pathSeparator: '/' });
    assert.equal(cfg.command, join(bundleDir, 'server/linux/instantly-status-mcp'));
    // Left empty, the key reaches the server as "", not as the literal placeholder.
    // INSTANTLY_BUNDLE: the server's messages name the extension's settings.
    assert.deepEqual(cfg.env, { INSTANTLY_API_KEY: '', INSTANTLY_DEMO: 'false', INSTANTLY_BUNDLE: 'true' });
  });

  it('demo mode: initialize, list tools and prompts, diagnose a demo campaign', async () => {
    const { client } = await connectBundle({ demo: true });
    try {
      const info = client.getServerVersion();
      assert.equal(info.name, 'instantly-status-mcp');
      assert.equal(info.version, manifest.version, 'the binary is stamped with the bundle version');
      const tools = (await client.listTools()).tools.map((t) => t.name).sort();
      assert.deepEqual(tools, manifest.tools.map((t) => t.name).sort());
      const prompts = (await client.listPrompts()).prompts.map((p) => p.name).sort();
      assert.deepEqual(prompts, manifest.prompts.map((p) => p.name).sort());
      const res = await client.callTool({ name: 'get_campaign_sending_status', arguments: { id: DEMO.headline } });
      assert.ok(!res.isError, textOf(res));
      assert.match(textOf(res), /^## Black Friday 2026 – SaaS founders: waiting/);
      assert.equal(res.structuredContent?.analysis?.status, 'account_daily_limit_met');
      assert.equal(res.structuredContent?.analysis?.severity, 'waiting');
    } finally {
      await client.close();
    }
  });

  it('no key and no demo: the tool points to the extension\'s settings', async () => {
    const { client } = await connectBundle({});
    try {
      const res = await client.callTool({ name: 'get_campaign_sending_status', arguments: { id: DEMO.headline } });
      assert.equal(res.isError, true);
      // A bundle has no env block a person edits: the settings by their titles.
      assert.match(textOf(res), new RegExp(`"${manifest.user_config.api_key.title}"`));
      assert.match(textOf(res), new RegExp(`"${manifest.user_config.demo.title}"`));
      assert.doesNotMatch(textOf(res), /INSTANTLY_API_KEY|env/);
    } finally {
      await client.close();
    }
  });
});

// finalStageEnv reads ENV, ENTRYPOINT and HEALTHCHECK of the Dockerfile's last
// stage (continuation lines, key=value pairs, exec form: what it uses).
function dockerfile() {
  const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  let env = {};
  let entrypoint;
  let healthcheck;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (/^FROM\s/i.test(line)) env = {};
    let m;
    if ((m = line.match(/^ENV\s+(.*)$/i))) {
      for (const kv of m[1].matchAll(/([A-Za-z0-9_]+)=("[^"]*"|\S+)/g)) env[kv[1]] = kv[2].replace(/^"|"$/g, '');
    } else if ((m = line.match(/^ENTRYPOINT\s+(\[.*\])$/i))) {
      entrypoint = JSON.parse(m[1]);
    } else if ((m = line.match(/^HEALTHCHECK\s.*CMD\s+(\[.*\])$/i))) {
      healthcheck = JSON.parse(m[1]);
    }
  }
  return { env, entrypoint, healthcheck };
}

describe('the container image entrypoint and environment (no engine)', () => {
  it('HEALTHCHECK passes, then the SDK client over streamable HTTP with a per-request key', async () => {
    const df = dockerfile();
    assert.equal(df.env.MCP_TRANSPORT, 'http');
    assert.deepEqual(df.healthcheck, [df.entrypoint[0], 'healthcheck']);
    const bin = join(bundleDir, 'server/linux/instantly-status-mcp');
    const port = await freePort();
    const host = df.env.MCP_ADDR.replace(/:\d+$/, '');
    // The image's environment only, plus demo mode (no network here).
    const env = { ...df.env, MCP_ADDR: `${host}:${port}`, INSTANTLY_DEMO: 'true', LOG_LEVEL: 'warn' };
    const proc = spawn(bin, df.entrypoint.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d) => { stderr += d; });
    try {
      let hc;
      const deadline = Date.now() + 15000;
      for (;;) {
        hc = spawnSync(bin, df.healthcheck.slice(1), { env, encoding: 'utf8' });
        if (hc.status === 0 || Date.now() > deadline || proc.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(hc.status, 0, `healthcheck: ${hc.stdout}${hc.stderr}\nserver: ${stderr}`);
      assert.match(hc.stdout, new RegExp(`healthy: http://127\\.0\\.0\\.1:${port}/healthz`));

      const client = new Client({ name: 'image-env-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
        requestInit: { headers: { 'X-Instantly-Api-Key': 'per-request-key-0001' } },
      }));
      try {
        assert.equal(client.getServerVersion().version, manifest.version);
        const tools = (await client.listTools()).tools.map((t) => t.name);
        assert.ok(tools.includes('get_campaign_sending_status'), tools.join(','));
        const res = await client.callTool({ name: 'get_campaign_sending_status', arguments: { id: DEMO.paused } });
        assert.ok(!res.isError, textOf(res));
        assert.match(textOf(res), /^## .*: not sending, action required/);
        assert.equal(res.structuredContent?.analysis?.status, 'campaign_paused');
      } finally {
        await client.close();
      }
      assert.doesNotMatch(stderr, /per-request-key-0001/, 'the key reached the log');
    } finally {
      await stopProcess(proc);
    }
  });
});

// The container instructions (README's install, docs/http.md's deployment)
// name the image server.json publishes, and the compose snippet runs two
// stateless replicas behind the balancer (no engine here to run it: this
// keeps its facts true).
describe("the docs' container instructions", () => {
  it('docker run and compose use the published image; two stateless replicas behind the load balancer', async () => {
    const { parse } = await import('yaml');
    const readme = ['README.md', 'docs/http.md'].map((f) => readFileSync(join(repoRoot, f), 'utf8')).join('\n');
    const server = JSON.parse(readFileSync(join(repoRoot, 'server.json'), 'utf8'));
    const image = server.packages.find((p) => p.registryType === 'oci').identifier;
    assert.match(readme, new RegExp(`docker run --rm -p 127\\.0\\.0\\.1:8080:8080 ${image.replace(/[.]/g, '\\.')}`));
    const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes('replicas'));
    assert.ok(block, 'no compose snippet');
    const compose = parse(block);
    const mcp = compose.services.mcp;
    assert.equal(mcp.image, image);
    assert.equal(mcp.deploy.replicas, 2);
    assert.equal(mcp.environment.MCP_STATELESS, 'true');
    assert.match(compose.configs.nginx.content, /server mcp:8080;/);
    assert.match(compose.configs.nginx.content, /proxy_buffering off;/);
  });
});
