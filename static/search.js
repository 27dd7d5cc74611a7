// policyhub search: the /search/ page's client, on pagefind's JS API. The index lives in
// /pagefind/ beside this file, so the site works from a sub-path and inside a published
// release. Results in force come first, then earlier wordings. No HTML from the index is
// ever inserted as markup: excerpts are rebuilt from text, with <mark> kept as the only tag.
(() => {
  "use strict";
  const script = document.currentScript;
  const form = document.getElementById("search-form");
  if (!script || !form) return;
  const root = new URL(".", script.src);
  const $ = (id) => document.getElementById(id);
  const input = $("search-q"), orgSelect = $("search-org"), topicSelect = $("search-topic");
  const status = $("search-status"), results = $("search-results");
  const PAGE = 20;
  $("search-needs-js").hidden = true;

  let pagefind = null;
  async function load() {
    if (!pagefind) {
      pagefind = await import(new URL("pagefind/pagefind.js", root).href);
      await pagefind.options({ excerptLength: 40 });
      const filters = await pagefind.filters();
      const topics = Object.keys((filters && filters.topic) || {}).sort();
      for (const topic of topics) topicSelect.append(new Option(topic, topic));
      $("search-topic-field").hidden = topics.length === 0;
    }
    return pagefind;
  }

  // "a <mark>b</mark> c" → text nodes and <mark> elements only.
  function excerpt(html) {
    const p = document.createElement("p");
    p.className = "search-excerpt";
    const parts = String(html).split(/(<mark>|<\/mark>)/);
    let marked = false;
    for (const part of parts) {
      if (part === "<mark>") { marked = true; continue; }
      if (part === "</mark>") { marked = false; continue; }
      const text = document.createTextNode(decode(part));
      if (marked) { const m = document.createElement("mark"); m.append(text); p.append(m); }
      else p.append(text);
    }
    return p;
  }
  const decoder = document.createElement("textarea");
  function decode(text) { decoder.innerHTML = text; return decoder.value; }

  function item(data) {
    const li = document.createElement("li");
    li.className = "search-result";
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.meta.policy;
    const heading = document.createElement("h3");
    heading.append(link);
    const meta = document.createElement("p");
    meta.className = "meta";
    const when = (data.filters.status || [])[0] === "latest"
      ? `in force since ${data.meta.version}` : `wording of the version of ${data.meta.version}`;
    meta.textContent = `${data.meta.org} · ${data.meta.policy} · ${when}`;
    li.append(heading, meta, excerpt(data.excerpt));
    return li;
  }

  // One group of results ("In force now" or "Earlier wordings"), PAGE at a time.
  function group(title, found) {
    const section = document.createElement("section");
    const heading = document.createElement("h2");
    heading.textContent = `${title} (${found.length})`;
    const list = document.createElement("ol");
    list.className = "search-list";
    section.append(heading, list);
    let shown = 0;
    const more = document.createElement("button");
    more.type = "button";
    more.className = "search-more";
    async function next() {
      more.disabled = true;
      const slice = found.slice(shown, shown + PAGE);
      const items = (await Promise.all(slice.map((r) => r.data()))).map(item);
      list.append(...items);
      if (shown > 0 && items[0]) items[0].querySelector("a").focus();
      shown += slice.length;
      more.disabled = false;
      more.hidden = shown >= found.length;
      more.textContent = `Show more (${found.length - shown} left)`;
    }
    more.addEventListener("click", next);
    section.append(more);
    return { section, ready: next() };
  }

  let current = 0;
  async function run() {
    const query = input.value.trim();
    const ticket = ++current;
    results.replaceChildren();
    if (!query) { status.textContent = ""; return; }
    status.textContent = "Searching…";
    const api = await load();
    const filters = {};
    if (orgSelect.value) filters.org = orgSelect.value;
    if (topicSelect.value) filters.topic = topicSelect.value;
    const [latest, earlier] = await Promise.all([
      api.search(query, { filters: { ...filters, status: "latest" } }),
      api.search(query, { filters: { ...filters, status: "earlier" } }),
    ]);
    if (ticket !== current) return;
    const groups = [];
    if (latest.results.length) groups.push(group("In force now", latest.results));
    if (earlier.results.length) groups.push(group("Earlier wordings and removed clauses", earlier.results));
    await Promise.all(groups.map((g) => g.ready));
    if (ticket !== current) return;
    results.replaceChildren(...groups.map((g) => g.section));
    const n = latest.results.length, m = earlier.results.length;
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

  const fail = (e) => { status.textContent = "Search is unavailable: the index could not be loaded."; console.error(e); };
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
