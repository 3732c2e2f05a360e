// The overview's campaigns as table rows, worst first, read from the
// structured content of get_sending_overview.

export type Group = "action" | "unknown" | "waiting" | "failed" | "ok";

// The order of the groups, worst first; the same order as the text.
export const groupOrder: Group[] = ["action", "unknown", "waiting", "failed", "ok"];

export const groupLabels: Record<Group, string> = {
  action: "not sending",
  unknown: "no data",
  waiting: "waiting",
  failed: "could not check",
  ok: "sending",
};

export type Row = {
  id: string;
  name: string;
  group: Group;
  state: string;
  summary: string;
  since?: string;
  nextSendAt?: string;
  nextSendTimezone?: string;
  blocking: string[];
  // detail is the diagnosis's text once read.
  detail?: string;
};

type Campaign = {
  id: string;
  name: string;
  state?: string;
  summary?: string;
  paused_by?: string;
  issue_first_seen_at?: string;
  next_send_at?: string;
  next_send_timezone?: string;
  blocking_accounts?: { email: string }[];
};

type Failure = { id: string; name: string; error: string };

const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

// Within "not sending", the campaigns Instantly took out of sending come
// first and those a person paused last, as in the text.
const pauseRank = (c: Campaign) => (c.paused_by === "instantly" ? 0 : c.paused_by === "person" ? 2 : 1);

function row(c: Campaign, group: Group): Row {
  return {
    id: c.id,
    name: c.name,
    group,
    state: c.state ?? groupLabels[group],
    summary: c.summary ?? "",
    since: c.issue_first_seen_at,
    nextSendAt: c.next_send_at,
    nextSendTimezone: c.next_send_timezone,
    blocking: list<{ email: string }>(c.blocking_accounts).map((b) => b.email),
  };
}

export function rowsOf(sc: Record<string, unknown>): Row[] {
  const action = list<Campaign>(sc.action_required)
    .map((c, i) => ({ c, i }))
    .sort((a, b) => pauseRank(a.c) - pauseRank(b.c) || a.i - b.i)
    .map(({ c }) => row(c, "action"));
  const failed = list<Failure>(sc.failed).map(
    (f): Row => ({ id: f.id, name: f.name, group: "failed", state: "could not check", summary: f.error, blocking: [] }),
  );
  return [
    ...action,
    ...list<Campaign>(sc.unknown).map((c) => row(c, "unknown")),
    ...list<Campaign>(sc.waiting).map((c) => row(c, "waiting")),
    ...failed,
    ...list<Campaign>(sc.ok).map((c) => row(c, "ok")),
  ];
}
