// A small, safe reading of the server's markdown answers: headings, lists,
// paragraphs, **bold** and `code`. Text only ever goes in as text nodes.

function inline(text: string): Node[] {
  const out: Node[] = [];
  const re = /\*\*([^*]+)\*\*|`([^`]+)`/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push(document.createTextNode(text.slice(last, m.index)));
    const e = document.createElement(m[1] !== undefined ? "strong" : "code");
    e.textContent = m[1] ?? m[2];
    out.push(e);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(document.createTextNode(text.slice(last)));
  return out;
}

export function renderMarkdown(md: string): HTMLElement[] {
  const out: HTMLElement[] = [];
  let listEl: HTMLElement | undefined;
  for (const raw of md.split("\n")) {
    const line = raw.trimEnd();
    const item = /^\s*(?:[-*]|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      const ordered = /^\s*\d+\./.test(line);
      if (!listEl || (listEl.tagName === "OL") !== ordered) {
        listEl = document.createElement(ordered ? "ol" : "ul");
        out.push(listEl);
      }
      const li = document.createElement("li");
      li.append(...inline(item[1]));
      listEl.append(li);
      continue;
    }
    listEl = undefined;
    if (!line.trim()) continue;
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    const note = /^_(.+)_$/.exec(line);
    const e = document.createElement(h ? (h[1].length <= 2 ? "h3" : "h4") : line.startsWith(">") ? "blockquote" : "p");
    if (note) {
      // A line in italics: the answer's closing note.
      e.className = "note";
      const em = document.createElement("em");
      em.append(...inline(note[1]));
      e.append(em);
    } else {
      e.append(...inline(h ? h[2] : line.replace(/^>\s?/, "")));
    }
    out.push(e);
  }
  return out;
}
