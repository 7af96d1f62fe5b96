// A small, safe Markdown renderer for Param descriptions (`description_md`): it builds DOM nodes
// and sets only text, so raw HTML stays text, no script or event handler can appear, and links
// keep only http, https and mailto targets.
const SAFE_LINK = /^(https?:|mailto:)/i;

function inline(text, parent) {
  // `code`, **bold**, *em* / _em_, [text](url)
  const re = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*|_([^_]+)_|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let at = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > at) parent.append(text.slice(at, m.index));
    let node;
    if (m[1] !== undefined) {
      node = document.createElement("code");
      node.textContent = m[1];
    } else if (m[2] !== undefined) {
      node = document.createElement("strong");
      inline(m[2], node);
    } else if (m[3] !== undefined || m[4] !== undefined) {
      node = document.createElement("em");
      inline(m[3] ?? m[4], node);
    } else {
      const href = m[6].trim();
      if (SAFE_LINK.test(href)) {
        node = document.createElement("a");
        node.href = href;
        node.rel = "noopener noreferrer";
        node.target = "_blank";
        node.textContent = m[5];
      } else {
        node = document.createTextNode(m[5]); // an unsafe target: the text only
      }
    }
    parent.append(node);
    at = m.index + m[0].length;
  }
  if (at < text.length) parent.append(text.slice(at));
}

/** Markdown text to a DocumentFragment of safe nodes. */
export function renderMarkdown(markdown) {
  const out = document.createDocumentFragment();
  for (const block of String(markdown).split(/\n\s*\n/)) {
    const lines = block.split("\n");
    if (lines.every((l) => /^\s*[-*]\s+/.test(l))) {
      const list = document.createElement("ul");
      for (const l of lines) {
        const li = document.createElement("li");
        inline(l.replace(/^\s*[-*]\s+/, ""), li);
        list.append(li);
      }
      out.append(list);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(block.trim());
    const p = document.createElement(heading ? "strong" : "p");
    inline(heading ? heading[2] : lines.join(" "), p);
    out.append(heading ? wrap(p) : p);
  }
  return out;
}

function wrap(node) {
  const p = document.createElement("p");
  p.append(node);
  return p;
}
