// policyhub compare: the redline of any two versions of a policy, made in the browser from the
// hub's JSON API (/api/<org>/<policy>/<version>.json, beside this file, so the site works from a
// sub-path and inside a published release). It repeats, step for step, what `policyhub diff`
// does in Rust, so that both give the same redline:
//   - clauses are aligned by their permanent ids (src/history/compare.rs): the same id in both
//     versions is the same clause, an id in one only was added or removed; the clauses that
//     stayed in place are a longest increasing run (in_place, src/history/align.rs), the others
//     moved; removed clauses are listed after the nearest clause before them that survived
//     (src/history/diff.rs);
//   - edited clauses get a word redline: the text cut at word boundaries
//     (src/history/tokens.rs), a longest common subsequence by Myers' algorithm
//     (src/history/myers.rs), pure insertions and deletions slid (src/history/script.rs), runs
//     merged (src/history/redline.rs);
//   - the figures count words as src/document/mod.rs and src/history/redline.rs count them.
// Nothing from the JSON is ever inserted as markup: text nodes, <ins> and <del> only.
globalThis.policyhubCompare = (() => {
  "use strict";

  // ---- Tokens (src/history/tokens.rs): word boundaries ----
  const LETTER = 1, DIGIT = 2, UNDERSCORE = 3, MID_LETTER = 4, MID_NUM = 5, MID_NUM_LET = 6;
  const SPACE = 7, CR = 8, LF = 9, OTHER = 10;
  const ALPHABETIC = /^\p{Alphabetic}$/u, NUMERIC = /^\p{N}$/u;
  // Scripts written without spaces between words: each character is a token of its own.
  const UNSPACED = [
    [0x0e00, 0x0eff], [0x1000, 0x109f], [0x1780, 0x17ff], [0x19e0, 0x19ff], [0x2e80, 0x2fdf],
    [0x3005, 0x3007], [0x3040, 0x31ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xf900, 0xfaff],
    [0xff66, 0xff9f], [0x20000, 0x3ffff],
  ];

  function classOf(c) {
    const cp = c.codePointAt(0);
    if ((cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a)) return LETTER;
    if (cp >= 0x30 && cp <= 0x39) return DIGIT;
    switch (c) {
      case "_": return UNDERSCORE;
      case ":": return MID_LETTER;
      case ",": case ";": return MID_NUM;
      case ".": case "'": case "\u2018": case "\u2019": return MID_NUM_LET;
      case " ": return SPACE;
      case "\r": return CR;
      case "\n": return LF;
    }
    if (cp <= 0x7f || UNSPACED.some(([low, high]) => cp >= low && cp <= high)) return OTHER;
    if (ALPHABETIC.test(c)) return LETTER;
    if (NUMERIC.test(c)) return DIGIT;
    return OTHER;
  }

  const isWord = (c) => c === LETTER || c === DIGIT || c === UNDERSCORE;
  const joinsLetters = (c) => c === MID_LETTER || c === MID_NUM_LET;
  const joinsDigits = (c) => c === MID_NUM || c === MID_NUM_LET;

  // True when the text breaks between a and b (before precedes a, after follows b).
  function breaks(before, a, b, after) {
    if (a === CR && b === LF) return false;
    if (a === CR || a === LF || b === CR || b === LF) return true;
    if (a === SPACE && b === SPACE) return false;
    if (isWord(a) && isWord(b)) return false;
    if (a === LETTER && joinsLetters(b) && after === LETTER) return false;
    if (joinsLetters(a) && b === LETTER && before === LETTER) return false;
    if (a === DIGIT && joinsDigits(b) && after === DIGIT) return false;
    if (joinsDigits(a) && b === DIGIT && before === DIGIT) return false;
    return true;
  }

  function wordTokens(text) {
    const chars = [...text];
    const classes = chars.map(classOf);
    const tokens = [];
    let current = chars.length ? chars[0] : "";
    for (let i = 1; i < chars.length; i++) {
      const before = i >= 2 ? classes[i - 2] : 0;
      const after = i + 1 < chars.length ? classes[i + 1] : 0;
      if (breaks(before, classes[i - 1], classes[i], after)) {
        tokens.push(current);
        current = "";
      }
      current += chars[i];
    }
    if (current !== "") tokens.push(current);
    return tokens;
  }

  // ---- Longest common subsequence (src/history/myers.rs) ----
  // Past this many edits a box of len tokens is split where the forward paths got furthest,
  // so that the work stays about WORK (cost_limit).
  const WORK = 2 ** 27, MIN_COST_LIMIT = 64;
  const costLimit = (len) => Math.max(MIN_COST_LIMIT, Math.floor(WORK / Math.max(1, len)));

  function middleSnake(a, b, a0, a1, b0, b1) {
    const n = a1 - a0, m = b1 - b0, delta = n - m, odd = ((delta % 2) + 2) % 2 === 1;
    const max = Math.min(Math.floor((n + m + 1) / 2), costLimit(n + m)), offset = max + 1;
    const forward = new Int32Array(2 * max + 3), reverse = new Int32Array(2 * max + 3);
    for (let d = 0; d <= max; d++) {
      for (let k = -d; k <= d; k += 2) {
        let x = k === -d || (k !== d && forward[k - 1 + offset] < forward[k + 1 + offset]) ? forward[k + 1 + offset] : forward[k - 1 + offset] + 1;
        let y = x - k;
        const x0 = x, y0 = y;
        while (x < n && y < m && a[a0 + x] === b[b0 + y]) { x++; y++; }
        forward[k + offset] = x;
        const kr = delta - k;
        if (odd && kr >= -(d - 1) && kr <= d - 1 && x + reverse[kr + offset] >= n) {
          return [a0 + x0, b0 + y0, a0 + x, b0 + y];
        }
      }
      for (let k = -d; k <= d; k += 2) {
        let x = k === -d || (k !== d && reverse[k - 1 + offset] < reverse[k + 1 + offset]) ? reverse[k + 1 + offset] : reverse[k - 1 + offset] + 1;
        let y = x - k;
        const x0 = x, y0 = y;
        while (x < n && y < m && a[a1 - 1 - x] === b[b1 - 1 - y]) { x++; y++; }
        reverse[k + offset] = x;
        const kf = delta - k;
        if (!odd && kf >= -d && kf <= d && x + forward[kf + offset] >= n) {
          return [a1 - x, b1 - y, a1 - x0, b1 - y0];
        }
      }
    }
    // Past the cost limit: an empty snake where the forward paths got furthest (furthest_forward).
    let best = null;
    for (let k = -max; k <= max; k += 2) {
      const x = forward[k + offset], y = x - k;
      const inside = x >= 0 && x <= n && y >= 0 && y <= m && x + y > 0 && x + y < n + m;
      if (inside && (best === null || x + y > best[0] + best[1])) best = [x, y];
    }
    if (best === null) best = [Math.floor(n / 2), Math.floor(m / 2)];
    return [a0 + best[0], b0 + best[1], a0 + best[0], b0 + best[1]];
  }

  // The pairs [i, j] with a[i] === b[j] of a longest common subsequence, in order.
  function common(a, b) {
    const pairs = [];
    const stack = [["box", 0, a.length, 0, b.length]];
    while (stack.length) {
      const task = stack.pop();
      if (task[0] === "match") {
        for (let k = 0; k < task[3]; k++) pairs.push([task[1] + k, task[2] + k]);
        continue;
      }
      let [, a0, a1, b0, b1] = task;
      let prefix = 0;
      while (a0 + prefix < a1 && b0 + prefix < b1 && a[a0 + prefix] === b[b0 + prefix]) prefix++;
      for (let k = 0; k < prefix; k++) pairs.push([a0 + k, b0 + k]);
      a0 += prefix;
      b0 += prefix;
      let suffix = 0;
      while (a1 - suffix > a0 && b1 - suffix > b0 && a[a1 - suffix - 1] === b[b1 - suffix - 1]) suffix++;
      a1 -= suffix;
      b1 -= suffix;
      stack.push(["match", a1, b1, suffix]);
      if (a0 < a1 && b0 < b1) {
        const [x0, y0, x1, y1] = middleSnake(a, b, a0, a1, b0, b1);
        stack.push(["box", x1, a1, y1, b1]);
        stack.push(["match", x0, y0, x1 - x0]);
        stack.push(["box", a0, x0, b0, y0]);
      }
    }
    return pairs;
  }

  // ---- Edit script and sliding (src/history/script.rs) ----
  const SAME = "same", DELETED = "deleted", INSERTED = "inserted";

  function editScript(a, b) {
    const script = [];
    let i = 0, j = 0;
    for (const [x, y] of [...common(a, b), [a.length, b.length]]) {
      for (; i < x; i++) script.push([DELETED, a[i]]);
      for (; j < y; j++) script.push([INSERTED, b[j]]);
      if (x < a.length) script.push([SAME, a[x]]);
      i = x + 1;
      j = y + 1;
    }
    slide(script);
    return script;
  }

  function slide(script) {
    const len = script.length;
    const canGoUp = (s, e) => s > 0 && script[s - 1][0] === SAME && script[s - 1][1] === script[e - 1][1];
    let s = 0;
    while (s < len) {
      const edit = script[s][0];
      if (edit === SAME) { s++; continue; }
      let e = s;
      while (e < len && script[e][0] === edit) e++;
      const other = edit === INSERTED ? DELETED : INSERTED;
      const pure = (s === 0 || script[s - 1][0] !== other) && (e === len || script[e][0] !== other);
      if (pure) {
        while (canGoUp(s, e)) {
          script[s - 1][0] = edit;
          script[e - 1][0] = SAME;
          s--;
          e--;
          while (s > 0 && script[s - 1][0] === edit) s--;
        }
        while (e < len && script[e][0] === SAME && script[e][1] === script[s][1] && (s === 0 || script[s - 1][0] !== other)) {
          script[s][0] = SAME;
          script[e][0] = edit;
          s++;
          e++;
          while (e < len && script[e][0] === edit) e++;
        }
      }
      s = e;
    }
  }

  // ---- Redline segments (src/history/redline.rs) ----
  // Rust's char::is_whitespace (Unicode White_Space), which JavaScript's \s is not quite.
  const WHITESPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;
  const BLANK = new RegExp(`^${WHITESPACE.source}*$`, "u");

  // The word redline from old to new: [kind, text] segments, kind "same", "inserted" or "deleted".
  function redline(oldText, newText) {
    const segments = [];
    for (const [edit, token] of editScript(wordTokens(oldText), wordTokens(newText))) {
      const last = segments[segments.length - 1];
      if (last && last[0] === edit) last[1] += token;
      else segments.push([edit, token]);
    }
    return mergeReplacements(segments);
  }

  // Joins replacement runs split only by spaces, which read as one change.
  function mergeReplacements(segments) {
    const out = [];
    let deleted = "", inserted = "";
    const flush = () => {
      if (deleted) out.push([DELETED, deleted]);
      if (inserted) out.push([INSERTED, inserted]);
      deleted = "";
      inserted = "";
    };
    segments.forEach(([kind, text], i) => {
      if (kind === DELETED) deleted += text;
      else if (kind === INSERTED) inserted += text;
      else {
        const next = segments[i + 1];
        const changeFollows = next !== undefined && next[0] !== SAME;
        if (deleted && inserted && changeFollows && BLANK.test(text)) {
          deleted += text;
          inserted += text;
        } else {
          flush();
          out.push([SAME, text]);
        }
      }
    });
    flush();
    return out;
  }

  // ---- Words (src/document/mod.rs count_words, src/history/redline.rs word_changes) ----
  const WORD_CHAR = /[\p{Alphabetic}\p{N}]/u;

  function countWords(text) {
    let words = 0, counted = false;
    for (const c of text) {
      if (WHITESPACE.test(c)) counted = false;
      else if (!counted && WORD_CHAR.test(c)) { words++; counted = true; }
    }
    return words;
  }

  const splitWhitespace = (text) => text.split(new RegExp(`${WHITESPACE.source}+`, "u")).filter((w) => w !== "");

  // Words inserted and deleted from old to new: [inserted, deleted].
  function wordChanges(oldText, newText) {
    const a = splitWhitespace(oldText), b = splitWhitespace(newText);
    const sum = (words) => words.reduce((n, w) => n + countWords(w), 0);
    let keptOld = 0, keptNew = 0;
    for (const [i, j] of common(a, b)) {
      keptOld += countWords(a[i]);
      keptNew += countWords(b[j]);
    }
    return [sum(b) - keptNew, sum(a) - keptOld];
  }

  // ---- Clauses (src/history/compare.rs, align.rs in_place, diff.rs reading order) ----
  function inPlace(matched) {
    const entries = [];
    matched.forEach((o, n) => { if (o !== null) entries.push([n, o]); });
    const tails = [], parent = new Array(entries.length).fill(-1);
    entries.forEach(([, o], e) => {
      let lo = 0, hi = tails.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (entries[tails[mid]][1] < o) lo = mid + 1;
        else hi = mid;
      }
      if (lo > 0) parent[e] = tails[lo - 1];
      if (lo === tails.length) tails.push(e);
      else tails[lo] = e;
    });
    const keep = new Array(matched.length).fill(false);
    for (let e = tails.length ? tails[tails.length - 1] : -1; e !== -1; e = parent[e]) keep[entries[e][0]] = true;
    return keep;
  }

  // Rows in reading order: each clause of the new version, each removed one after the nearest
  // clause before it that survived.
  function readingOrder(oldLength, previous, changes, removed) {
    const rows = [];
    const newOfOld = new Array(oldLength).fill(null);
    previous.forEach((o, n) => { if (o !== null) newOfOld[o] = n; });
    const after = (o) => {
      for (let p = o - 1; p >= 0; p--) if (newOfOld[p] !== null) return newOfOld[p];
      return null;
    };
    const placed = removed.map((o) => [after(o), o]).sort((x, y) => {
      if (x[0] !== y[0]) return x[0] === null ? -1 : y[0] === null ? 1 : x[0] - y[0];
      return x[1] - y[1];
    });
    let r = 0;
    while (r < placed.length && placed[r][0] === null) rows.push({ change: "removed", old: placed[r++][1], new: null });
    previous.forEach((o, n) => {
      rows.push({ change: changes[n], old: o, new: n });
      while (r < placed.length && placed[r][0] === n) rows.push({ change: "removed", old: placed[r++][1], new: null });
    });
    while (r < placed.length) rows.push({ change: "removed", old: placed[r++][1], new: null });
    return rows;
  }

  // Version `to` (its clauses) against version `from`: { rows, figures }.
  function compare(fromClauses, toClauses) {
    const oldOfId = new Map(fromClauses.map((c, i) => [c.id, i]));
    const previous = toClauses.map((c) => (oldOfId.has(c.id) ? oldOfId.get(c.id) : null));
    const stayed = inPlace(previous);
    const figures = { added: 0, removed: 0, modified: 0, moved: 0, unchanged: 0, words_added: 0, words_removed: 0 };
    const changes = toClauses.map((clause, n) => {
      const o = previous[n];
      if (o === null) {
        figures.added++;
        figures.words_added += countWords(clause.text);
        return "added";
      }
      const sameText = fromClauses[o].text === clause.text;
      if (!sameText) {
        figures.modified++;
        const [inserted, deleted] = wordChanges(fromClauses[o].text, clause.text);
        figures.words_added += inserted;
        figures.words_removed += deleted;
      }
      if (!stayed[n]) figures.moved++;
      if (sameText && stayed[n]) {
        figures.unchanged++;
        return "unchanged";
      }
      return sameText ? "moved" : stayed[n] ? "modified" : "moved-modified";
    });
    const kept = new Array(fromClauses.length).fill(false);
    previous.forEach((o) => { if (o !== null) kept[o] = true; });
    const removed = [];
    fromClauses.forEach((clause, o) => {
      if (kept[o]) return;
      removed.push(o);
      figures.removed++;
      figures.words_removed += countWords(clause.text);
    });
    return { rows: readingOrder(fromClauses.length, previous, changes, removed), figures };
  }

  // The figures in words (ChangeFigures::describe, src/history/mod.rs).
  function describe(f) {
    const plural = (n) => (n === 1 ? "" : "s");
    const parts = [];
    if (f.added > 0) parts.push(`${f.added} clause${plural(f.added)} added`);
    if (f.removed > 0) parts.push(`${f.removed} removed`);
    if (f.modified > 0) parts.push(`${f.modified} edited`);
    if (f.moved > 0) parts.push(`${f.moved} moved`);
    if (!parts.length) return "No change to the text.";
    return `${parts.join(", ")}; ${f.words_added} word${plural(f.words_added)} added, ${f.words_removed} removed.`;
  }

  return { wordTokens, common, editScript, redline, wordChanges, countWords, compare, describe };
})();

// ---- The compare page (the engine above also runs without one: tests load it alone) ----
(() => {
  "use strict";
  if (typeof document === "undefined") return;
  const script = document.currentScript;
  const form = document.getElementById("compare-form");
  if (!script || !form) return;
  const { compare, describe, redline } = globalThis.policyhubCompare;
  const $ = (id) => document.getElementById(id);
  const fromSelect = $("compare-from"), toSelect = $("compare-to"), status = $("compare-status");
  const result = $("compare-result"), summary = $("compare-summary"), rowsBox = $("compare-rows");
  const apiRoot = new URL(`api/${form.dataset.org}/${form.dataset.policy}/`, new URL(".", script.src));
  const ids = [...fromSelect.options].map((o) => o.value);
  const labelOf = (id) => fromSelect.options[ids.indexOf(id)].textContent;
  const DAY = /^\d{4}-\d{2}-\d{2}$/;
  // A version asked for in the address, read as `policyhub diff` reads it (src/terminal.rs): a
  // bare date is the version in force that day (the last with an effective date on or before
  // it), `YYYY-MM-DD.1` the first version of a day, anything else a version id.
  function resolve(asked) {
    if (asked === null) return null;
    if (DAY.test(asked)) return ids.filter((id) => id.slice(0, 10) <= asked).pop() ?? null;
    const first = asked.endsWith(".1") && DAY.test(asked.slice(0, -2)) ? asked.slice(0, -2) : asked;
    return ids.includes(first) ? first : null;
  }
  // How to name a version in the address so that it is read back as that version
  // (version_ref, src/content/in_force.rs).
  const refOf = (id) => (DAY.test(id) && ids.includes(`${id}.2`) ? `${id}.1` : id);
  const LABELS = { added: "Added", removed: "Removed", modified: "Edited", moved: "Moved", "moved-modified": "Moved and edited" };
  const FOLD = 3;

  const versions = new Map();
  function version(id) {
    if (!versions.has(id)) {
      const promise = fetch(new URL(`${encodeURIComponent(id)}.json`, apiRoot)).then((response) => {
        if (!response.ok) throw new Error(`${id}: HTTP ${response.status}`);
        return response.json();
      });
      promise.catch(() => versions.delete(id));
      versions.set(id, promise);
    }
    return versions.get(id);
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // One row, as the hub's redline pages write it (src/render/diff_page.rs), with the clause's
  // text in a .row-text span.
  function row(r, from, to) {
    const clause = r.new !== null ? to.clauses[r.new] : from.clauses[r.old];
    const box = element("div", `row row-${r.change} row-${clause.kind}`);
    box.dataset.clause = clause.id;
    box.dataset.change = r.change;
    const line = element(clause.kind === "heading" ? "h3" : "p");
    if (LABELS[r.change]) line.append(element("span", "change-label", LABELS[r.change]), " ");
    if (clause.kind === "list-item") line.append("• ");
    const text = element("span", "row-text");
    if (r.change === "added") text.append(element("ins", "", clause.text));
    else if (r.change === "removed") text.append(element("del", "", clause.text));
    else if (r.change === "modified" || r.change === "moved-modified") {
      for (const [kind, words] of redline(from.clauses[r.old].text, clause.text)) {
        text.append(kind === "same" ? words : element(kind === "inserted" ? "ins" : "del", "", words));
      }
    } else text.append(clause.text);
    line.append(text, " ");
    const permalink = element("a", "permalink", "¶");
    permalink.href = `${(r.new !== null ? to : from).url}#${encodeURIComponent(clause.id)}`;
    permalink.setAttribute("aria-label", `This clause in the ${r.new !== null ? "newer" : "older"} version`);
    line.append(permalink);
    box.append(line);
    return box;
  }

  // Marks the consecutive redlines between the two versions in the list for readers without
  // JavaScript.
  function markSteps(a, b) {
    const [low, high] = a < b ? [a, b] : [b, a];
    for (const li of document.querySelectorAll(".compare-steps li[data-index]")) {
      const index = Number(li.dataset.index);
      li.classList.toggle("step-between", index > low && index <= high);
    }
  }

  async function show(fromId, toId) {
    fromSelect.value = fromId;
    toSelect.value = toId;
    markSteps(ids.indexOf(fromId), ids.indexOf(toId));
    status.textContent = "Comparing…";
    let from, to;
    try {
      [from, to] = await Promise.all([version(fromId), version(toId)]);
    } catch (error) {
      status.textContent = `The versions could not be loaded (${error.message}): follow the redlines listed below.`;
      return;
    }
    const { rows, figures } = compare(from.clauses, to.clauses);
    result.dataset.from = fromId;
    result.dataset.to = toId;
    summary.replaceChildren(
      element("p", "compare-pair", `From the version ${labelOf(fromId)} to the version ${labelOf(toId)}.`),
      element("p", "compare-figures", fromId === toId ? "The same version: nothing to compare." : describe(figures)),
    );
    const out = document.createDocumentFragment();
    for (let i = 0; i < rows.length && fromId !== toId; ) {
      let run = 0;
      while (i + run < rows.length && rows[i + run].change === "unchanged") run++;
      if (run >= FOLD) {
        const fold = element("details", "unchanged-run");
        fold.append(element("summary", "", `${run} unchanged clause${run === 1 ? "" : "s"}`));
        for (const r of rows.slice(i, i + run)) fold.append(row(r, from, to));
        out.append(fold);
        i += run;
      } else {
        out.append(row(rows[i], from, to));
        i++;
      }
    }
    rowsBox.replaceChildren(out);
    result.hidden = false;
    status.textContent = fromId === toId ? "" : "Redline ready.";
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = new URL(window.location.href);
    url.searchParams.set("from", refOf(fromSelect.value));
    url.searchParams.set("to", refOf(toSelect.value));
    window.history.replaceState(null, "", url);
    show(fromSelect.value, toSelect.value);
  });
  const params = new URLSearchParams(window.location.search);
  const [from, to] = [resolve(params.get("from")), resolve(params.get("to"))];
  if (from !== null && to !== null) show(from, to);
  else if (params.has("from") || params.has("to")) status.textContent = "Choose two versions of this policy (no version was in force on a day asked for, or there is no such version).";
})();
