// Times as the viewer reads them: in the host's locale and time zone, and
// the next send also in the schedule's zone.
import type { McpUiHostContext } from "@modelcontextprotocol/ext-apps";

function format(d: Date, ctx: McpUiHostContext, timeZone?: string): string {
  const opts: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
  try {
    return new Intl.DateTimeFormat(ctx.locale, { ...opts, timeZone: timeZone ?? ctx.timeZone }).format(d);
  } catch {
    return new Intl.DateTimeFormat(undefined, opts).format(d);
  }
}

// formatSince is "3 d ago" (or "40 min ago", "5 h ago"), "—" when
// unknown, and the moment in the viewer's time.
export function formatSince(iso: string | undefined, ctx: McpUiHostContext, now = Date.now()): { ago: string; at?: string } {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return { ago: "—" };
  const min = Math.max(0, Math.round((now - t) / 60000));
  const ago = min < 60 ? `${min} min ago` : min < 48 * 60 ? `${Math.round(min / 60)} h ago` : `${Math.round(min / 1440)} d ago`;
  return { ago, at: format(new Date(t), ctx) };
}

// formatNextSend is the next send in the viewer's time and in the
// schedule's zone; undefined when the overview does not know it.
export function formatNextSend(iso: string | undefined, zone: string | undefined, ctx: McpUiHostContext) {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return undefined;
  const d = new Date(t);
  const local = `${format(d, ctx)} your time`;
  if (!zone) return { local, zone: "" };
  try {
    return { local, zone: `${new Intl.DateTimeFormat(ctx.locale, { hour: "2-digit", minute: "2-digit", timeZone: zone }).format(d)} ${zone}` };
  } catch {
    return { local, zone };
  }
}
