// Shared helpers of the end-to-end tests and the conformance runner: find or
// build the server binary, start it over streamable HTTP on a free loopback
// port, wait for /healthz, stop it.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// Demo workspace ids (internal/demo/demo.go, DemoCampaigns).
export const DEMO = {
  headline: '019a0000-0000-7000-8000-000000000001', // account_daily_limit_met
  healthy: '019a6d64-37ed-7247-b88f-20dcba6074fb',
  outOfSchedule: '019abfef-e84c-7b12-81a7-3008861307fc',
  paused: '019b8f6b-460f-795d-b6f3-79a358fa0b1e',
  noData: '019d0498-cc42-7070-9d33-e6685c9983c5', // {"diagnostics":null,"summary":null}
  undocumented: '019d1932-9ac8-75cd-9648-fd71c6f4e21c', // warmup_in_progress
  subsequence: '019d5526-c798-728e-b11a-b561fc1a16ca', // follow_up_delay_not_met
  unknown: '00000000-0000-4000-8000-000000000404', // a valid UUID the workspace lacks
};

let builtBinary;

// serverBinary returns SERVER_BIN, or builds the server once per process with
// `go build -o` into a temporary directory.
export function serverBinary() {
  if (process.env.SERVER_BIN) {
    const p = resolve(process.env.SERVER_BIN);
    if (!existsSync(p)) throw new Error(`SERVER_BIN=${p} does not exist`);
    return p;
  }
  if (!builtBinary) {
    const out = join(mkdtempSync(join(tmpdir(), 'isb-')), 'instantly-status-mcp');
    execFileSync('go', ['build', '-o', out, '.'], { cwd: repoRoot, stdio: 'inherit' });
    builtBinary = out;
  }
  return builtBinary;
}

// freePort asks the kernel for a free loopback port. Another process could
// take it before the server binds; startHTTP retries on that.
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// startHTTP starts the binary with -transport http on a free port and waits
// until GET /healthz answers 200. extraArgs e.g. ['-demo', '-stateless'].
// Returns { base, url (the /mcp endpoint), stderr(), stop() }.
export async function startHTTP(extraArgs = ['-demo'], { env = {}, timeoutMs = 20000 } = {}) {
  const bin = serverBinary();
  let lastErr;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const addr = `127.0.0.1:${port}`;
    const proc = spawn(bin, ['-transport', 'http', '-addr', addr, ...extraArgs], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stdout.on('data', (d) => { stderr += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    let exited = null;
    proc.on('exit', (code, sig) => { exited = { code, sig }; });
    const base = `http://${addr}`;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && exited === null) {
      try {
        const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (r.ok) {
          await r.arrayBuffer();
          return {
            base,
            url: `${base}/mcp`,
            proc,
            stderr: () => stderr,
            stop: () => stopProcess(proc),
          };
        }
      } catch (e) {
        lastErr = e;
      }
      await sleep(100);
    }
    await stopProcess(proc);
    lastErr = new Error(`server on ${addr} did not become healthy (exit ${JSON.stringify(exited)}); output:\n${stderr}`);
    if (!/address already in use/.test(stderr)) break;
  }
  throw lastErr;
}

// stopProcess sends SIGTERM, then SIGKILL after 5 s, and waits for the exit.
export function stopProcess(proc) {
  return new Promise((res) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return res();
    const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => { clearTimeout(t); res(); });
    proc.kill('SIGTERM');
  });
}
