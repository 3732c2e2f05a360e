// End-to-end tests of the built server with the official MCP TypeScript SDK
// client, over stdio and streamable HTTP (stateful and stateless).
//
// The SDK client validates every tool result's structuredContent against the
// tool's outputSchema (after tools/list), so a drift between what the server
// returns and what it declares fails callTool here with an McpError.
//
//   SERVER_BIN=/path/to/binary node --test client.test.mjs   (else it builds one)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { DEMO, serverBinary, startHTTP } from './lib.mjs';

const TOOL = 'get_campaign_sending_status';
const SUBTOOL = 'get_subsequence_sending_status';
const PROMPTS = ['sending_status_remediation', 'diagnose_campaign', 'workspace_sending_check'];

// connect returns a connected SDK client for the transport, and a close
// function that also stops a server it started.
async function connect(kind, { args = ['-demo'], env = {} } = {}) {
  const client = new Client({ name: 'e2e-sdk-client', version: '1.0.0' });
  let stop = async () => {};
  let stderr = () => '';
  if (kind === 'stdio') {
    const transport = new StdioClientTransport({
      command: serverBinary(),
      args,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stderr: 'pipe',
    });
    let buf = '';
    transport.stderr?.on('data', (d) => { buf += d; });
    stderr = () => buf;
    await client.connect(transport);
  } else {
    const stateless = kind === 'http-stateless';
    const srv = await startHTTP(stateless ? [...args, '-stateless'] : args, { env });
    stderr = srv.stderr;
    stop = srv.stop;
    await client.connect(new StreamableHTTPClientTransport(new URL(srv.url)));
  }
  return {
    client,
    stderr,
    close: async () => {
      await client.close().catch(() => {});
      await stop();
    },
  };
}

function textOf(res) {
  return (res.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
}

for (const kind of ['stdio', 'http', 'http-stateless']) {
  describe(`MCP SDK client over ${kind}`, () => {
    let conn;
    let client;
    before(async () => {
      conn = await connect(kind);
      client = conn.client;
    });
    after(async () => {
      await conn?.close();
    });

    it('initializes with the server info and capabilities', () => {
      const info = client.getServerVersion();
      assert.equal(info.name, 'instantly-status-mcp');
      const caps = client.getServerCapabilities();
      for (const c of ['tools', 'prompts', 'resources', 'completions']) {
        assert.ok(caps[c], `capability ${c} missing: ${JSON.stringify(caps)}`);
      }
      assert.match(client.getInstructions() ?? '', /get_campaign_sending_status/);
    });

    it('lists the tools with input and output schemas', async () => {
      const { tools } = await client.listTools();
      const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
      for (const name of [TOOL, SUBTOOL]) {
        const t = byName[name];
        assert.ok(t, `tool ${name} missing from ${Object.keys(byName)}`);
        assert.deepEqual(t.inputSchema.required, ['id']);
        assert.equal(t.outputSchema?.type, 'object');
        assert.equal(t.annotations?.readOnlyHint, true);
      }
    });

    it('lists the prompts', async () => {
      const { prompts } = await client.listPrompts();
      const names = prompts.map((p) => p.name);
      for (const p of PROMPTS) assert.ok(names.includes(p), `prompt ${p} missing from ${names}`);
      const rem = prompts.find((p) => p.name === 'sending_status_remediation');
      assert.ok(rem.arguments.some((a) => a.name === 'status' && a.required));
    });

    // The client validates structuredContent against the outputSchema it got
    // from tools/list: a schema drift throws here.
    const cases = [
      ['headline campaign', TOOL, DEMO.headline, 'account_daily_limit_met', 'waiting'],
      ['healthy campaign', TOOL, DEMO.healthy, 'healthy', 'ok'],
      ['out of schedule', TOOL, DEMO.outOfSchedule, 'out_of_schedule', 'waiting'],
      ['paused campaign', TOOL, DEMO.paused, 'campaign_paused', 'action_required'],
      ['no data yet', TOOL, DEMO.noData, '', 'unknown'],
      ['undocumented code', TOOL, DEMO.undocumented, 'warmup_in_progress', 'unknown'],
      ['subsequence', SUBTOOL, DEMO.subsequence, 'follow_up_delay_not_met', 'waiting'],
    ];
    for (const [label, tool, id, status, severity] of cases) {
      it(`${tool}: ${label} -> ${status || '(none)'} / ${severity}`, async () => {
        const res = await client.callTool({ name: tool, arguments: { id } });
        assert.ok(!res.isError, `unexpected isError: ${textOf(res)}`);
        const a = res.structuredContent?.analysis;
        assert.ok(a, `no structuredContent.analysis in ${JSON.stringify(res).slice(0, 500)}`);
        assert.equal(a.status, status);
        assert.equal(a.severity, severity);
        assert.equal(a.id, id);
        assert.equal(a.kind, tool === TOOL ? 'campaign' : 'subsequence');
        assert.ok(Array.isArray(a.remediation_steps));
        assert.ok(textOf(res).length > 0, 'no text content beside the structured content');
      });
    }

    it('with_ai_summary=true still validates against the output schema', async () => {
      const res = await client.callTool({ name: TOOL, arguments: { id: DEMO.headline, with_ai_summary: true } });
      assert.ok(!res.isError, textOf(res));
      assert.equal(res.structuredContent.analysis.status, 'account_daily_limit_met');
    });

    it('a non-UUID id is a tool error that says what an id looks like', async () => {
      const res = await client.callTool({ name: TOOL, arguments: { id: 'not-a-campaign-id' } });
      assert.equal(res.isError, true);
      assert.match(textOf(res), /invalid id/i);
      assert.match(textOf(res), /UUID/);
      assert.equal(res.structuredContent, undefined);
    });

    it('a valid but unknown UUID is a tool error mentioning 404', async () => {
      const res = await client.callTool({ name: TOOL, arguments: { id: DEMO.unknown } });
      assert.equal(res.isError, true);
      assert.match(textOf(res), /404/);
      assert.match(textOf(res), new RegExp(DEMO.unknown));
    });

    it('a missing or mistyped argument is a tool error', async () => {
      const missing = await client.callTool({ name: TOOL, arguments: {} });
      assert.equal(missing.isError, true);
      assert.match(textOf(missing), /id/);
      const wrong = await client.callTool({ name: TOOL, arguments: { id: 42 } });
      assert.equal(wrong.isError, true);
      assert.match(textOf(wrong), /string/);
    });

    it('an unknown tool is an error, not a hang', async () => {
      await assert.rejects(
        async () => {
          const res = await client.callTool({ name: 'no_such_tool', arguments: {} });
          if (res.isError) throw new Error(textOf(res));
        },
        /no_such_tool|not found|unknown/i,
      );
    });

    it('gets the remediation prompt for a status', async () => {
      const res = await client.getPrompt({ name: 'sending_status_remediation', arguments: { status: 'daily_limit_met' } });
      assert.match(res.description ?? '', /daily_limit_met/);
      assert.equal(res.messages.length, 1);
      assert.equal(res.messages[0].role, 'user');
      assert.match(res.messages[0].content.text, /daily_limit_met/);
    });

    it('gets the remediation prompt with a campaign id', async () => {
      const res = await client.getPrompt({
        name: 'sending_status_remediation',
        arguments: { status: 'out_of_schedule', campaign_id: DEMO.headline },
      });
      assert.match(res.messages[0].content.text, new RegExp(DEMO.headline));
      assert.match(res.messages[0].content.text, /get_campaign_sending_status/);
    });

    it('an unknown status in the prompt is an error', async () => {
      await assert.rejects(
        client.getPrompt({ name: 'sending_status_remediation', arguments: { status: 'no_such_code' } }),
        /unknown status/,
      );
    });

    it('completes the status argument', async () => {
      const res = await client.complete({
        ref: { type: 'ref/prompt', name: 'sending_status_remediation' },
        argument: { name: 'status', value: 'daily' },
      });
      assert.deepEqual(res.completion.values, ['daily_limit_met', 'account_daily_limit_met']);
      const all = await client.complete({
        ref: { type: 'ref/prompt', name: 'sending_status_remediation' },
        argument: { name: 'status', value: '' },
      });
      assert.equal(all.completion.values.length, 18);
    });

    it('reads the status-code catalog resource', async () => {
      const { resources } = await client.listResources();
      assert.ok(resources.some((r) => r.uri === 'instantly://sending-status/codes'));
      const res = await client.readResource({ uri: 'instantly://sending-status/codes' });
      assert.match(res.contents[0].text, /account_daily_limit_met/);
      const one = await client.readResource({ uri: 'instantly://sending-status/codes/daily_limit_met' });
      assert.match(one.contents[0].text, /daily_limit_met/);
    });

    it('answers ping and many concurrent calls', async () => {
      await client.ping();
      const ids = [DEMO.headline, DEMO.healthy, DEMO.paused, DEMO.outOfSchedule];
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => client.callTool({ name: TOOL, arguments: { id: ids[i % ids.length] } })),
      );
      results.forEach((r, i) => {
        assert.ok(!r.isError, textOf(r));
        assert.equal(r.structuredContent.analysis.id, ids[i % ids.length]);
      });
    });

    it('calls the list tools when the server has them', async () => {
      const { tools } = await client.listTools();
      const names = new Set(tools.map((t) => t.name));
      for (const name of ['list_campaigns', 'get_sending_overview']) {
        if (!names.has(name)) continue; // not registered yet
        const res = await client.callTool({ name, arguments: {} });
        assert.ok(!res.isError, `${name}: ${textOf(res)}`);
        assert.ok(textOf(res).length > 0);
      }
    });
  });
}

// A fake Instantly that echoes the API key back in every way a careless
// upstream might: in 401/403/500 messages and in a header. The server runs
// against it with a real (fake) key; the key must never reach a client, over
// either transport, nor the server's own log.
describe('the API key never leaks', () => {
  const KEY = 'sk_live_e2eLeakCanary_9f3Kq7Zx2Lm8';
  let upstream;
  let baseURL;
  const echo = (res, status, extra = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-debug-key': KEY, ...extra });
    res.end(JSON.stringify({ statusCode: status, error: 'Err', message: `Invalid API key: ${KEY} (Bearer ${KEY})` }));
  };
  before(async () => {
    upstream = createServer((req, res) => {
      const m = /^\/api\/v2\/(campaigns|subsequences)\/([^/]+)\/sending-status/.exec(req.url);
      const id = m?.[2] ?? '';
      if (id.endsWith('0401')) return echo(res, 401);
      if (id.endsWith('0403')) return echo(res, 403);
      if (id.endsWith('0500')) return echo(res, 500);
      if (id.endsWith('0429')) return echo(res, 429, { 'retry-after': '3600' });
      if (id.endsWith('0200')) {
        // A 2xx body that is not JSON and quotes the key.
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end(`<html>${KEY}</html>`);
      }
      return echo(res, 404);
    });
    await new Promise((r) => upstream.listen(0, '127.0.0.1', r));
    baseURL = `http://127.0.0.1:${upstream.address().port}`;
  });
  after(() => new Promise((r) => upstream.close(r)));

  for (const kind of ['stdio', 'http']) {
    it(`over ${kind}`, async () => {
      const conn = await connect(kind, {
        args: ['-log-level', 'debug'],
        env: { INSTANTLY_API_KEY: KEY, INSTANTLY_BASE_URL: baseURL, INSTANTLY_TIMEOUT: '5s' },
      });
      try {
        const seen = [];
        for (const suffix of ['0401', '0403', '0500', '0429', '0200', '0404']) {
          const id = `00000000-0000-4000-8000-00000000${suffix}`;
          const res = await conn.client.callTool({ name: TOOL, arguments: { id } });
          assert.equal(res.isError, true, `${suffix}: want isError`);
          seen.push(JSON.stringify(res));
        }
        // The key pasted into the id argument is not echoed either.
        const pasted = await conn.client.callTool({ name: TOOL, arguments: { id: KEY } });
        assert.equal(pasted.isError, true);
        seen.push(JSON.stringify(pasted));
        const prompt = await conn.client
          .getPrompt({ name: 'diagnose_campaign', arguments: { campaign_id: KEY } })
          .catch((e) => ({ error: String(e) }));
        seen.push(JSON.stringify(prompt));
        for (const s of seen) assert.ok(!s.includes(KEY), `API key leaked to the client: ${s}`);
        assert.ok(!seen.join('').includes(KEY.slice(8, 20)), 'part of the API key leaked to the client');
        assert.match(seen[0], /401/);
      } finally {
        await conn.close();
      }
      assert.ok(!conn.stderr().includes(KEY), `API key leaked into the server log:\n${conn.stderr()}`);
    });
  }
});
