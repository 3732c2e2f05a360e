// The view in a real browser: Debian's chromium driven by playwright-core,
// a test host page built on the SDK's AppBridge, and the real server binary
// (-demo, stdio) behind an MCP TypeScript SDK client. SERVER_BIN names the
// binary (CI builds it); CHROMIUM the browser (default /usr/bin/chromium);
// VIEW_SCREENSHOTS the folder for the screenshots.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { chromium } from "playwright-core";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const here = path.dirname(fileURLToPath(import.meta.url));
const serverBin = process.env.SERVER_BIN;
const shots = process.env.VIEW_SCREENSHOTS ?? path.join(here, "screenshots");
const uri = "ui://instantly-status/overview.html";
const appsExtension = { "io.modelcontextprotocol/ui": { mimeTypes: ["text/html;profile=mcp-app"] } };

let client, plainClient, browser, profile, hostScript, html, toolResult;

async function connect(capabilities) {
  const c = new Client({ name: "view-test", version: "1.0.0" }, { capabilities });
  await c.connect(new StdioClientTransport({ command: serverBin, args: ["-demo"], env: { PATH: process.env.PATH ?? "" }, stderr: "ignore" }));
  return c;
}

before(async () => {
  assert.ok(serverBin, "SERVER_BIN must name the built server");
  client = await connect({ extensions: appsExtension });
  plainClient = await connect({});
  const host = await esbuild.build({
    entryPoints: [path.join(here, "host.ts")], bundle: true, format: "iife", write: false, target: "es2022", logLevel: "warning",
  });
  hostScript = host.outputFiles[0].text;
  profile = await mkdtemp(path.join(os.tmpdir(), "view-chromium-"));
  await mkdir(shots, { recursive: true });
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  await client?.close();
  await plainClient?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

test("tools/list names the view; resources/read returns the document", async () => {
  const { tools } = await client.listTools();
  const overview = tools.find((t) => t.name === "get_sending_overview");
  assert.equal(overview?._meta?.ui?.resourceUri, uri);
  const res = await client.readResource({ uri });
  assert.equal(res.contents.length, 1);
  const [doc] = res.contents;
  assert.equal(doc.mimeType, "text/html;profile=mcp-app");
  const built = await readFile(path.join(here, "..", "..", "overview.html"), "utf8");
  assert.ok(doc.text === built, "the server serves the committed overview.html (rebuild the binary after npm run build)");
  assert.ok(Buffer.byteLength(doc.text) <= 400 * 1024, `${Buffer.byteLength(doc.text)} bytes`);
  assert.doesNotMatch(doc.text, /<(script|link|img)[^>]+(src|href)=/i, "the document loads nothing");
  html = doc.text;
});

test("a client without the apps extension gets the same result", async () => {
  toolResult = await client.callTool({ name: "get_sending_overview", arguments: {} });
  const plain = await plainClient.callTool({ name: "get_sending_overview", arguments: {} });
  assert.ok(!toolResult.isError);
  // Two demo servers started a moment apart: their times differ by a few
  // milliseconds, nothing else may.
  const same = (v) => JSON.parse(JSON.stringify(v).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<time>"));
  assert.deepEqual(same(plain.content), same(toolResult.content));
  assert.deepEqual(same(plain.structuredContent), same(toolResult.structuredContent));
  assert.ok(toolResult.structuredContent.action_required.length > 0);
});

// Opens the host page at a width and theme, delivers the overview, and
// records every tool call, console error and network request.
async function openView(width, theme) {
  const page = await browser.newPage();
  await page.setViewportSize({ width, height: 900 });
  const rec = { calls: [], errors: [], requests: [] };
  page.on("request", (r) => rec.requests.push(r.url()));
  page.on("console", (m) => m.type() === "error" && rec.errors.push(m.text()));
  page.on("pageerror", (e) => rec.errors.push(String(e)));
  await page.exposeFunction("hostCallTool", async (params) => {
    const res = await client.callTool(params);
    rec.calls.push({ params, res });
    return res;
  });
  await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;background:${theme === "dark" ? "#111" : "#fff"}}</style></head><body><script>${hostScript.replaceAll("</script", "<\\/script")}</script></body></html>`);
  // In dark, the host also sends its own colours as the SDK's style
  // variables; the view must take them.
  const variables = theme === "dark" ? { "--color-background-primary": "rgb(16, 20, 24)", "--color-text-primary": "rgb(230, 232, 235)" } : undefined;
  await page.evaluate((o) => window.startHost(o), { html, toolResult, theme, variables });
  const frame = page.frameLocator("iframe");
  await frame.locator("tr.row").first().waitFor();
  return { page, frame, rec };
}

const luminance = (rgb) => {
  const [r, g, b] = rgb.match(/\d+/g).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

for (const width of [360, 1200]) {
  for (const theme of ["light", "dark"]) {
    test(`the view at ${width} px, ${theme}`, async () => {
      const { page, frame, rec } = await openView(width, theme);
      const sc = toolResult.structuredContent;

      // Every campaign that needs action, with its state word.
      for (const c of sc.action_required) {
        const row = frame.locator("tr.row", { has: page.locator(`button.open[data-id="${c.id}"]`) });
        assert.equal(await row.count(), 1, c.name);
        assert.equal((await row.locator(".state").textContent()).trim(), c.state, c.name);
      }
      const total = sc.action_required.length + sc.waiting.length + sc.ok.length + sc.unknown.length + sc.failed.length;
      assert.equal(await frame.locator("tr.row").count(), total);
      // Worst first: the first row needs action.
      assert.match(await frame.locator("tr.row").first().getAttribute("class"), /g-action/);

      // The host's theme.
      const root = frame.locator("html");
      assert.equal(await root.getAttribute("data-theme"), theme);
      const [bg, fg] = await frame.locator("body").evaluate((b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]);
      if (theme === "dark") {
        assert.deepEqual([bg, fg], ["rgb(16, 20, 24)", "rgb(230, 232, 235)"], "the host's style variables");
      } else {
        assert.ok(luminance(bg) > 200 && luminance(fg) < 80, `light: background ${bg}, text ${fg}`);
      }

      // What a person sees first: the top of the view, no campaign open.
      await page.screenshot({ path: path.join(shots, `overview-${width}-${theme}-top.png`) });

      // The filter narrows the rows; the group filter too.
      await frame.locator("#filter").fill("Black Friday");
      assert.equal(await frame.locator("tr.row").count(), 1);
      await frame.locator("#filter").fill("");
      await frame.locator("#group").selectOption("waiting");
      assert.equal(await frame.locator("tr.row").count(), sc.waiting.length);
      await frame.locator("#group").selectOption("");

      // A click opens one diagnosis: exactly one tools/call for that id.
      const ids = await frame.locator("button.open").evaluateAll((bs) => bs.map((b) => b.dataset.id));
      const first = sc.action_required.find((c) => c.id === ids[0]);
      await frame.locator(`button.open[data-id="${first.id}"]`).click();
      const answer = frame.locator(`#answer-${first.id}`);
      await answer.locator("h3, p").first().waitFor();
      await page.waitForFunction(() => true);
      assert.equal(rec.calls.length, 1);
      assert.equal(rec.calls[0].params.name, "get_campaign_sending_status");
      assert.deepEqual(rec.calls[0].params.arguments, { id: first.id });
      const text = rec.calls[0].res.content[0].text;
      const firstLine = text.split("\n")[0].replace(/^#+\s*/, "").replaceAll("**", "").replaceAll("`", "");
      assert.ok((await answer.textContent()).includes(firstLine), `answer lacks ${firstLine}`);
      assert.equal(await frame.locator(`button.open[data-id="${first.id}"]`).getAttribute("aria-expanded"), "true");

      // The screenshot: the overview with the worst campaign's diagnosis open.
      // The page grows to the view's height (the host follows its size
      // notifications), so a plain screenshot shows all of it.
      const height = await page.evaluate(() => document.querySelector("iframe").getBoundingClientRect().height);
      await page.setViewportSize({ width, height: Math.ceil(height) });
      await frame.locator("body").evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await page.screenshot({ path: path.join(shots, `overview-${width}-${theme}.png`) });
      await page.setViewportSize({ width, height: 900 });

      if (width === 1200) {
        // Refresh asks again; "ask the assistant" sends one message naming it.
        await frame.getByRole("button", { name: "Refresh" }).click();
        await page.waitForFunction(() => true);
        await answer.locator("h3, p").first().waitFor();
        assert.equal(rec.calls.length, 2);
        await frame.getByRole("button", { name: "Ask the assistant about this campaign" }).click();
        await frame.getByRole("button", { name: "Asked the assistant" }).waitFor();
        const messages = await page.evaluate(() => window.hostMessages);
        assert.equal(messages.length, 1);
        assert.equal(messages[0].role, "user");
        assert.ok(messages[0].content[0].text.includes(first.name) && messages[0].content[0].text.includes(first.id));

        // Keyboard: down to the next campaign, Enter opens it.
        await frame.locator(`button.open[data-id="${first.id}"]`).focus();
        await page.keyboard.press("ArrowDown");
        const second = { id: ids[1] };
        assert.equal(await frame.locator("button.open:focus").getAttribute("data-id"), second.id);
        await page.keyboard.press("Enter");
        await frame.locator(`#answer-${second.id}`).locator("h3, p").first().waitFor();
        assert.equal(rec.calls.length, 3);
        assert.deepEqual(rec.calls[2].params.arguments, { id: second.id });
      }

      // Nothing overflows the pane, down to 320 px.
      for (const w of width === 360 ? [360, 320] : [width]) {
        await page.setViewportSize({ width: w, height: 900 });
        const overflow = await frame.locator("body").evaluate((b) => b.scrollWidth - b.clientWidth);
        assert.ok(overflow <= 1, `at ${w} px the view is ${overflow} px wider than the pane`);
      }

      assert.deepEqual(rec.errors, [], "console errors");
      assert.deepEqual(rec.requests, [], "network requests");
      await page.close();
    });
  }
}
