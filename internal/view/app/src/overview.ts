// The sending overview as an MCP Apps view. It shows what the tool result of
// get_sending_overview holds (structuredContent), in the words the server
// wrote, and asks the server for one campaign's diagnosis through the host.
import {
  App,
  PostMessageTransport,
  applyDocumentTheme,
  applyHostFonts,
  applyHostStyleVariables,
  type McpUiHostContext,
} from "@modelcontextprotocol/ext-apps";
import { renderMarkdown } from "./markdown";
import { type Group, type Row, rowsOf, groupLabels, groupOrder } from "./rows";
import { formatNextSend, formatSince } from "./time";

type CallToolResult = Awaited<ReturnType<App["callServerTool"]>>;

const app = new App({ name: "instantly-status-overview", version: "1.0.0" }, {});
let rows: Row[] = [];
let hostContext: McpUiHostContext = {};
const open = new Set<string>();

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function applyContext(ctx: McpUiHostContext | undefined) {
  if (!ctx) return;
  hostContext = { ...hostContext, ...ctx };
  if (ctx.theme) applyDocumentTheme(ctx.theme);
  if (ctx.styles?.variables) applyHostStyleVariables(ctx.styles.variables);
  if (ctx.styles?.css?.fonts) applyHostFonts(ctx.styles.css.fonts);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...kids: (Node | string)[]) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids);
  return e;
}

// The compact bar: one segment per group, its width the group's share.
function renderCounts() {
  const bar = $("counts");
  bar.replaceChildren();
  const total = rows.length;
  for (const g of groupOrder) {
    const n = rows.filter((r) => r.group === g).length;
    if (n === 0) continue;
    const seg = el("li", { className: `seg g-${g}` }, el("span", { className: "n" }, String(n)), " ", groupLabels[g]);
    seg.style.flexGrow = String(Math.max(n / total, 0.12));
    bar.append(seg);
  }
  $("summary").textContent = total === 0 ? "No campaign matched." : "";
}

function visibleRows(): Row[] {
  const q = $<HTMLInputElement>("filter").value.trim().toLowerCase();
  const g = $<HTMLSelectElement>("group").value as Group | "";
  return rows.filter((r) => (!q || r.name.toLowerCase().includes(q)) && (!g || r.group === g));
}

function renderTable() {
  const body = $("rows");
  body.replaceChildren();
  const shown = visibleRows();
  for (const r of shown) {
    body.append(rowElement(r));
    if (open.has(r.id)) body.append(detailElement(r));
  }
  $("shown").textContent = `${shown.length} of ${rows.length} campaigns shown`;
}

function cell(label: string, ...kids: (Node | string)[]) {
  const td = el("td", {}, ...kids);
  td.dataset.label = label;
  if (kids.length === 1 && kids[0] === "—") td.className = "empty";
  return td;
}

function sinceCell(r: Row) {
  const since = formatSince(r.since, hostContext);
  const td = cell("Since", since.ago);
  if (since.at) td.title = since.at;
  return td;
}

// An address on a line of its own, which may wrap only before its "@".
function address(email: string) {
  const at = email.lastIndexOf("@");
  const span = el("span", { className: "address" });
  if (at > 0) span.append(email.slice(0, at), el("wbr"), email.slice(at));
  else span.append(email);
  return span;
}

function rowElement(r: Row) {
  const opener = el("button", { type: "button", className: "open", textContent: r.name });
  opener.setAttribute("aria-expanded", String(open.has(r.id)));
  opener.setAttribute("aria-controls", `detail-${r.id}`);
  opener.dataset.id = r.id;
  opener.addEventListener("click", (e) => {
    e.stopPropagation();
    toggle(r);
  });
  const state = el("span", { className: `state g-${r.group}`, textContent: r.state });
  const next = formatNextSend(r.nextSendAt, r.nextSendTimezone, hostContext);
  const tr = el(
    "tr",
    { className: `row g-${r.group}` },
    el("th", { scope: "row" }, opener),
    cell("State", state),
    cell("Answer", r.summary),
    sinceCell(r),
    cell("Next send", ...(next ? [next.local, el("br"), el("span", { className: "zone", textContent: next.zone })] : ["—"])),
    r.blocking.length ? cell("Blocking senders", ...r.blocking.map(address)) : cell("Blocking senders", "—"),
  );
  tr.dataset.id = r.id;
  tr.addEventListener("click", () => toggle(r));
  return tr;
}

function detailElement(r: Row) {
  const region = el("div", { className: "answer", id: `answer-${r.id}` });
  region.setAttribute("aria-live", "polite");
  region.setAttribute("aria-busy", String(!r.detail));
  if (r.detail) region.append(...renderMarkdown(r.detail));
  else region.append(el("p", { className: "muted", textContent: "Reading this campaign's diagnosis…" }));
  const refresh = el("button", { type: "button", textContent: "Refresh" });
  refresh.addEventListener("click", () => void diagnose(r));
  const ask = el("button", { type: "button", textContent: "Ask the assistant about this campaign" });
  ask.addEventListener("click", () => void askAbout(r, ask));
  const td = el("td", { colSpan: 6 }, el("div", { className: "actions" }, refresh, ask), region);
  const tr = el("tr", { className: "detail", id: `detail-${r.id}` }, td);
  tr.setAttribute("aria-label", `Diagnosis of ${r.name}`);
  return tr;
}

function toggle(r: Row) {
  if (open.has(r.id)) open.delete(r.id);
  else {
    open.add(r.id);
    if (!r.detail) void diagnose(r);
  }
  renderTable();
  focusOpener(r.id);
}

function focusOpener(id: string) {
  document.querySelector<HTMLButtonElement>(`button.open[data-id="${CSS.escape(id)}"]`)?.focus();
}

// One tools/call through the host per opening or refresh.
async function diagnose(r: Row) {
  r.detail = undefined;
  if (open.has(r.id)) renderTable();
  let res: CallToolResult;
  try {
    res = await app.callServerTool({ name: "get_campaign_sending_status", arguments: { id: r.id } });
  } catch (err) {
    r.detail = `Could not read the diagnosis: ${err instanceof Error ? err.message : String(err)}`;
    renderTable();
    return;
  }
  const text = (res.content ?? []).flatMap((c) => (c.type === "text" ? [c.text] : [])).join("\n\n");
  r.detail = text || "The server sent no text for this campaign.";
  const analysis = (res.structuredContent as { analysis?: Record<string, unknown> } | undefined)?.analysis;
  if (!res.isError && analysis) {
    if (typeof analysis.next_send_at === "string") r.nextSendAt = analysis.next_send_at;
    if (typeof analysis.next_send_timezone === "string") r.nextSendTimezone = analysis.next_send_timezone;
    const blocking = analysis.blocking_accounts;
    if (Array.isArray(blocking)) r.blocking = blocking.map((b) => String((b as { email?: unknown }).email ?? ""));
  }
  renderTable();
}

async function askAbout(r: Row, button: HTMLButtonElement) {
  button.disabled = true;
  try {
    const res = await app.sendMessage({
      role: "user",
      content: [{ type: "text", text: `About my Instantly campaign "${r.name}" (id ${r.id}): why is it ${r.state}, and what should I do?` }],
    });
    button.textContent = res.isError ? "The assistant could not take the question" : "Asked the assistant";
  } catch {
    button.textContent = "The assistant could not take the question";
  }
}

// Arrow keys move between the campaigns; Enter or Space opens one.
function onKey(e: KeyboardEvent) {
  const t = e.target as HTMLElement;
  if (!t.matches("button.open") || (e.key !== "ArrowDown" && e.key !== "ArrowUp")) return;
  const all = [...document.querySelectorAll<HTMLButtonElement>("button.open")];
  const i = all.indexOf(t as HTMLButtonElement) + (e.key === "ArrowDown" ? 1 : -1);
  if (i >= 0 && i < all.length) {
    all[i].focus();
    e.preventDefault();
  }
}

function show(result: CallToolResult) {
  const text = (result.content ?? []).flatMap((c) => (c.type === "text" ? [c.text] : [])).join("\n");
  if (result.isError || !result.structuredContent) {
    $("summary").textContent = text || "The overview could not be read.";
    return;
  }
  const sc = result.structuredContent as Record<string, unknown>;
  rows = rowsOf(sc);
  $("title").textContent = (text.split("\n")[0] ?? "").replace(/^#+\s*/, "") || "Sending overview";
  const notes = Array.isArray(sc.notes) ? (sc.notes as string[]) : [];
  $("notes").replaceChildren(...notes.map((n) => el("li", { textContent: n })));
  renderCounts();
  renderTable();
}

function init() {
  $("filter").addEventListener("input", renderTable);
  $("group").addEventListener("change", renderTable);
  document.addEventListener("keydown", onKey);
  app.ontoolresult = (result) => show(result as CallToolResult);
  app.onhostcontextchanged = (ctx) => {
    applyContext(ctx);
    if (rows.length) renderTable();
  };
  app
    .connect(new PostMessageTransport(window.parent, window.parent))
    .then(() => applyContext(app.getHostContext()))
    .catch((err: unknown) => {
      $("summary").textContent = `Could not connect to the host: ${err instanceof Error ? err.message : String(err)}`;
    });
}

init();
