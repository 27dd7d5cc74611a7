// policyhub search: the /search/ page's client. The index is JSON under search-index/ beside
// this file (so the site works from a sub-path and inside a published release; format in the
// README's "Search"): meta.json first, then only the term shards of the query's words, the
// topic chosen, and the records of the results shown (each policy's in files of its own).
// Every word of two or more characters must match the start of a word of the clause. Results
// in force come first, then earlier wordings. Nothing from the index is ever inserted as
// markup: text nodes and <mark> only.
(() => {
  "use strict";
  const script = document.currentScript;
  const form = document.getElementById("search-form");
  if (!script || !form) return;
  const root = new URL(".", script.src);
  const indexRoot = new URL("search-index/", root);
  const $ = (id) => document.getElementById(id);
  const input = $("search-q"), orgSelect = $("search-org"), topicSelect = $("search-topic");
  const status = $("search-status"), results = $("search-results");
  const PAGE = 20;
  // Files of records a query may load to put clauses containing it as a phrase first.
  const PHRASE_FILES = 8;
  // The index format this client reads (meta.json's `format`).
  const FORMAT = 2;
  $("search-needs-js").hidden = true;

  // The tokenizer of src/output/search/index.rs: lowercase, then runs of letters and digits.
  const WORD = /[\p{Alphabetic}\p{N}]+/gu;
  const tokens = (text) => text.toLowerCase().match(WORD) || [];
  const length = (word) => [...word].length;
  const hex = (text) => [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, "0")).join("");
  const shardOf = (term) => hex([...term].slice(0, 2).join(""));

  const files = new Map();
  function fetchJson(path) {
    if (!files.has(path)) {
      const promise = fetch(new URL(path, indexRoot)).then((response) => {
        if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
        return response.json();
      });
      promise.catch(() => files.delete(path));
      files.set(path, promise);
    }
    return files.get(path);
  }

  // runs: each policy's records in force, then each one's earlier wordings, in id order (ids
  // are given group by group, organisation by organisation, policy by policy).
  let meta = null, shards = null, runs = null;
  async function load() {
    if (!meta) {
      const read = await fetchJson("meta.json");
      // A page and an index of different builds (a cached page after an upgrade): say so.
      if (read.format !== FORMAT) throw Object.assign(new Error(`index format ${read.format}`), { stale: true });
      meta = read;
      shards = new Set(meta.shards);
      runs = [];
      let next = 0;
      for (const group of ["latest", "earlier"]) {
        for (const org of meta.orgs) {
          for (const policy of org.policies) {
            const offset = group === "latest" ? 0 : policy.latest;
            if (policy[group] > 0) runs.push({ start: next, org, policy, offset });
            next += policy[group];
          }
        }
      }
      for (const topic of meta.topics) topicSelect.append(new Option(topic.title, topic.slug));
      $("search-topic-field").hidden = meta.topics.length === 0;
    }
    return meta;
  }

  // The delta-encoded ids of a posting list, each passed to f.
  function each(gaps, f) {
    let id = 0;
    for (const gap of gaps) { id += gap; f(id); }
  }

  // The posting lists of the terms that start with `word`, and of `word` itself if it is one.
  async function postings(word) {
    const shard = shardOf(word);
    if (!shards.has(shard)) return { prefix: [], exact: null };
    const terms = await fetchJson(`terms/${shard}.json`);
    const prefix = Object.keys(terms).filter((t) => t.startsWith(word)).map((t) => terms[t]);
    return { prefix, exact: Object.hasOwn(terms, word) ? terms[word] : null };
  }

  // The ids of the records that match every word (and the topic), in each group, in id order;
  // records where every word is a whole word come first.
  async function find(words, org, topic) {
    const lists = await Promise.all(words.map(postings));
    const filters = [];
    if (topic) filters.push(await fetchJson(`topics/${topic}.json`));
    // hits[id] counts the lists passed so far that have id: id matches if it reaches the end.
    const hits = new Uint16Array(meta.records);
    let round = 0;
    const pass = (gapLists) => {
      for (const gaps of gapLists) each(gaps, (id) => { if (hits[id] === round) hits[id] = round + 1; });
      round += 1;
    };
    for (const list of lists) pass(list.prefix);
    for (const gaps of filters) pass([gaps]);
    const whole = new Uint16Array(meta.records);
    lists.forEach((list, i) => { if (list.exact) each(list.exact, (id) => { if (whole[id] === i) whole[id] = i + 1; }); });
    const range = (group) => {
      if (org) return org[group];
      return group === "latest" ? [0, meta.latest] : [meta.latest, meta.records];
    };
    const pick = ([start, end]) => {
      const first = [], rest = [];
      for (let id = start; id < end; id++) {
        if (hits[id] === round) (whole[id] === words.length ? first : rest).push(id);
      }
      return first.concat(rest);
    };
    return { latest: pick(range("latest")), earlier: pick(range("earlier")) };
  }

  // Where record `id` is: its policy's docs file, its entry there, its organisation and policy.
  function place(id) {
    let low = 0, high = runs.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (runs[mid].start <= id) low = mid; else high = mid - 1;
    }
    const run = runs[low];
    const local = run.offset + id - run.start;
    const file = `docs/${run.org.slug}/${run.policy.slug}/${Math.floor(local / meta.chunk)}.json`;
    return { file, entry: local % meta.chunk, org: run.org, policy: run.policy };
  }

  async function records(ids) {
    const places = ids.map(place);
    const files = [...new Set(places.map((p) => p.file))];
    // A record the files lack is null: under `serve`, a policy's docs are rewritten (or
    // removed) as soon as it is edited, the hub-wide files a moment later.
    const loaded = new Map(await Promise.all(files.map(async (f) => [f, await fetchJson(f).catch(() => [])])));
    return places.map((p) => {
      const doc = loaded.get(p.file)[p.entry];
      return doc ? { ...doc, org: p.org, policy: p.policy } : null;
    });
  }

  // Puts the records whose text has the query's words in a row first, when they are few
  // enough to load (a few files); otherwise keeps the order.
  async function byPhrase(ids, phrase) {
    if (phrase.length < 2 || ids.length === 0) return ids;
    const files = new Set(ids.map((id) => place(id).file));
    if (files.size > PHRASE_FILES) return ids;
    const texts = (await records(ids)).map((r) => ` ${r ? tokens(r.text).join(" ") : ""} `);
    const needle = ` ${phrase.join(" ")} `;
    const has = ids.map((_, i) => texts[i].includes(needle));
    return ids.filter((_, i) => has[i]).concat(ids.filter((_, i) => !has[i]));
  }

  // `text` around its first match, with every word that starts with a query word in <mark>.
  const CONTEXT = 40;
  function excerpt(text, words) {
    const p = document.createElement("p");
    p.className = "search-excerpt";
    const spans = [...text.matchAll(WORD)];
    const hit = (m) => { const t = m[0].toLowerCase(); return words.some((w) => t.startsWith(w)); };
    let from = 0, to = spans.length;
    if (spans.length > CONTEXT) {
      from = Math.max(0, Math.min(spans.findIndex(hit) - 8, spans.length - CONTEXT));
      to = from + CONTEXT;
    }
    let at = from === 0 ? 0 : spans[from].index;
    const end = to === spans.length ? text.length : spans[to - 1].index + spans[to - 1][0].length;
    if (at > 0) p.append("… ");
    for (const m of spans.slice(from, to)) {
      if (!hit(m)) continue;
      const mark = document.createElement("mark");
      mark.textContent = m[0];
      p.append(text.slice(at, m.index), mark);
      at = m.index + m[0].length;
    }
    p.append(text.slice(at, end));
    if (end < text.length) p.append(" …");
    return p;
  }

  function item(record, latest, words) {
    const li = document.createElement("li");
    li.className = "search-result";
    const link = document.createElement("a");
    const target = new URL(record.url, root);
    link.href = target.pathname + target.search + target.hash;
    link.textContent = record.title || record.policy.title;
    const heading = document.createElement("h3");
    heading.append(link);
    const line = document.createElement("p");
    line.className = "meta";
    const when = latest ? `in force since ${record.version}` : `wording of the version of ${record.version}`;
    line.textContent = `${record.org.name} · ${record.policy.title} · ${when}`;
    li.append(heading, line, excerpt(record.text, words));
    return li;
  }

  // One group of results ("In force now" or "Earlier wordings"), PAGE at a time.
  function group(title, ids, latest, words) {
    const section = document.createElement("section");
    const heading = document.createElement("h2");
    heading.textContent = `${title} (${ids.length})`;
    const list = document.createElement("ol");
    list.className = "search-list";
    section.append(heading, list);
    let shown = 0;
    const more = document.createElement("button");
    more.type = "button";
    more.className = "search-more";
    async function next() {
      more.disabled = true;
      const slice = ids.slice(shown, shown + PAGE);
      const items = (await records(slice)).filter(Boolean).map((r) => item(r, latest, words));
      list.append(...items);
      if (shown > 0 && items[0]) items[0].querySelector("a").focus();
      shown += slice.length;
      more.disabled = false;
      more.hidden = shown >= ids.length;
      more.textContent = `Show more (${ids.length - shown} left)`;
    }
    more.addEventListener("click", () => next().catch(fail));
    section.append(more);
    return { section, ready: next() };
  }

  let current = 0;
  async function run() {
    const query = input.value.trim();
    const ticket = ++current;
    results.replaceChildren();
    if (!query) { status.textContent = ""; return; }
    const phrase = tokens(query);
    const words = phrase.filter((w) => length(w) >= 2);
    if (words.length === 0) { status.textContent = "Type a word of at least two letters or digits."; return; }
    status.textContent = "Searching…";
    await load();
    const org = meta.orgs.find((o) => o.slug === orgSelect.value);
    const found = await find(words, org, topicSelect.value);
    const [latest, earlier] = await Promise.all([byPhrase(found.latest, phrase), byPhrase(found.earlier, phrase)]);
    if (ticket !== current) return;
    const groups = [];
    if (latest.length) groups.push(group("In force now", latest, true, words));
    if (earlier.length) groups.push(group("Earlier wordings and removed clauses", earlier, false, words));
    await Promise.all(groups.map((g) => g.ready));
    if (ticket !== current) return;
    results.replaceChildren(...groups.map((g) => g.section));
    const n = latest.length, m = earlier.length;
    status.textContent = n + m === 0
      ? `No clause matches “${query}”.`
      : `${n} clause${n === 1 ? "" : "s"} in force and ${m} earlier wording${m === 1 ? "" : "s"} match “${query}”.`;
  }

  function remember() {
    const params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    if (orgSelect.value) params.set("org", orgSelect.value);
    if (topicSelect.value) params.set("topic", topicSelect.value);
    const search = params.toString();
    history.replaceState(null, "", search ? `?${search}` : location.pathname);
  }

  function fail(e) {
    status.textContent = e.stale
      ? "The search index was updated since this page was loaded: reload the page."
      : "Search is unavailable: the index could not be loaded.";
    console.error(e);
  }
  const go = () => { remember(); run().catch(fail); };
  form.addEventListener("submit", (event) => { event.preventDefault(); go(); });
  orgSelect.addEventListener("change", go);
  topicSelect.addEventListener("change", go);
  let timer = 0;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(go, 300); });

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  orgSelect.value = params.get("org") || "";
  load()
    .then(() => {
      topicSelect.value = params.get("topic") || "";
      if (input.value) return run();
    })
    .catch(fail);
})();
