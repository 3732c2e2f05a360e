// What a person waits for, measured with the official TypeScript SDK client
// over stdio: spawn to initialized, tools/list (the client compiles every
// output schema with AJV here), the first tool result, then spaced calls for
// the per-call latency, and the server's peak RSS (VmHWM). Every server talks
// to the same fake Instantly (bench/fakeinstantly: the demo workspace, no
// added latency). A benchmark, not a test: it prints figures and asserts
// nothing but that the answers are results.
//
//   node e2e/firstanswer.bench.mjs [--runs 10] [--calls 200] [--gap-ms 5] [--bin PATH]
//          [--tool get_campaign_sending_status] [--args '{"id":"…","cross_check":false}']
//          [--server 'label=command arg…'] … [--call 'label=tool {"arg":…}'] … [--json FILE]
//
// Without --server it measures this repository's server (SERVER_BIN, --bin,
// or a fresh `go build`), called with cross_check:false (the one-request
// answer). Each --server is started as given, with INSTANTLY_API_KEY set to
// the fake's key and INSTANTLY_BASE_URL (and INSTANTLY_API_URL) to the fake's
// URL + '/api/v2' for servers that read the base from one of those; a
// server that cannot be pointed at a URL must be run behind a proxy of your
// own. --call gives a server its own tool and arguments (a peer without a
// sending-status tool is measured on its nearest read). Runs alternate between servers so that load on the machine falls on
// all of them alike.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { repoRoot, serverBinary, DEMO } from './lib.mjs';

const DEMO_KEY = 'demo-instantly-api-key';

function parseArgs(argv) {
  const o = { runs: 10, calls: 200, gapMs: 5, servers: [], tool: 'get_campaign_sending_status', json: '', calls_by: {} };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--runs': o.runs = Number(v); i++; break;
      case '--calls': o.calls = Number(v); i++; break;
      case '--gap-ms': o.gapMs = Number(v); i++; break;
      case '--bin': o.bin = v; i++; break;
      case '--tool': o.tool = v; i++; break;
      case '--args': o.args = JSON.parse(v); i++; break;
      case '--json': o.json = v; i++; break;
      case '--call': {
        const eq = v.indexOf('=');
        const rest = v.slice(eq + 1).trim();
        const sp = rest.indexOf(' ');
        o.calls_by[v.slice(0, eq)] = { tool: rest.slice(0, sp), args: JSON.parse(rest.slice(sp + 1)) };
        i++;
        break;
      }
      case '--server': {
        const eq = v.indexOf('=');
        const words = v.slice(eq + 1).trim().split(/\s+/);
        o.servers.push({ label: v.slice(0, eq), command: words[0], args: words.slice(1) });
        i++;
        break;
      }
      default: throw new Error(`unknown flag ${argv[i]}`);
    }
  }
  o.args ??= { id: DEMO.headline, cross_check: false };
  if (o.servers.length === 0) {
    const bin = o.bin ?? serverBinary();
    o.servers.push({ label: 'ours', command: bin, args: [] });
  }
  return o;
}

// startFake builds and starts bench/fakeinstantly; resolves with its URL.
function startFake() {
  const out = join(mkdtempSync(join(tmpdir(), 'fake-')), 'fakeinstantly');
  execFileSync('go', ['build', '-o', out, './bench/fakeinstantly'], { cwd: repoRoot, stdio: 'inherit' });
  const proc = spawn(out, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    proc.stdout.once('data', (d) => res({ url: String(d).trim(), stop: () => proc.stdin.end() }));
    proc.once('exit', (c) => rej(new Error(`fake exited ${c}`)));
  });
}

function vmHWM(pid) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch { return NaN; }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function checkResult(r, label) {
  if (r.isError) throw new Error(`${label}: tool error: ${JSON.stringify(r.content).slice(0, 300)}`);
  if (!r.content?.length) throw new Error(`${label}: empty result`);
}

// oneRun: spawn, initialize, list, first call, then spaced calls; close.
async function oneRun(s, o, fakeURL) {
  const env = {
    ...process.env, INSTANTLY_API_KEY: DEMO_KEY, INSTANTLY_BASE_URL: fakeURL,
    INSTANTLY_API_URL: `${fakeURL}/api/v2`, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  const t0 = performance.now();
  const transport = new StdioClientTransport({ command: s.command, args: s.args, env, stderr: 'ignore' });
  const client = new Client({ name: 'firstanswer-bench', version: '1' });
  await client.connect(transport);
  const tInit = performance.now();
  const list = await client.listTools();
  const tList = performance.now();
  const call = o.calls_by[s.label] ?? { tool: o.tool, args: o.args };
  const first = await client.callTool({ name: call.tool, arguments: call.args });
  const tFirst = performance.now();
  checkResult(first, s.label);
  const calls = [];
  let respBytes = 0;
  for (let i = 0; i < o.calls; i++) {
    await sleep(o.gapMs);
    const t = performance.now();
    const r = await client.callTool({ name: call.tool, arguments: call.args });
    calls.push(performance.now() - t);
    checkResult(r, s.label);
    if (i === 0) respBytes = Buffer.byteLength(JSON.stringify(r));
  }
  const rss = vmHWM(transport.pid);
  await client.close();
  return {
    spawnToInit: tInit - t0, toolsList: tList - tInit, firstCall: tFirst - tList, spawnToFirst: tFirst - t0,
    listBytes: Buffer.byteLength(JSON.stringify(list)), respBytes, calls, rssMB: rss,
  };
}

const q = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const med = (xs) => q(xs, 0.5);

function summarize(runs) {
  const all = runs.flatMap((r) => r.calls);
  return {
    runs: runs.length,
    spawn_to_init_ms: med(runs.map((r) => r.spawnToInit)),
    tools_list_ms: med(runs.map((r) => r.toolsList)),
    first_call_ms: med(runs.map((r) => r.firstCall)),
    spawn_to_first_result_ms: med(runs.map((r) => r.spawnToFirst)),
    call_p50_ms: q(all, 0.5), call_p90_ms: q(all, 0.9), call_p99_ms: q(all, 0.99),
    tools_list_bytes: runs[0].listBytes, response_bytes: runs[0].respBytes,
    peak_rss_mb: med(runs.map((r) => r.rssMB)),
  };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const fake = await startFake();
  const results = Object.fromEntries(o.servers.map((s) => [s.label, []]));
  try {
    for (let i = 0; i < o.runs; i++) {
      for (const s of o.servers) results[s.label].push(await oneRun(s, o, fake.url));
    }
  } finally {
    fake.stop();
  }
  const table = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, summarize(v)]));
  const fmt = (x) => (typeof x === 'number' && !Number.isInteger(x) ? x.toFixed(2) : x);
  for (const [label, t] of Object.entries(table)) {
    console.log(label.padEnd(12), Object.entries(t).map(([k, v]) => `${k}=${fmt(v)}`).join(' '));
  }
  if (o.json) writeFileSync(o.json, JSON.stringify({ options: { ...o, servers: o.servers.map((s) => s.label) }, table }, null, 2));
}

main().catch((e) => { console.error(e); process.exit(1); });
