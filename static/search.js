// Search page: Pagefind's JS API over the bundles of each 区县 (towncat/search.py), merged
// in the browser as searches need them.
// The page works without this script (the form degrades to browsing links).
const app = document.querySelector("[data-search-app]");
const PAGE_SIZE = 10;

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

// Pagefind excerpts are text with <mark> around matches; rebuild them without innerHTML.
function excerptNode(excerpt) {
  const p = el("p", { class: "excerpt" });
  const parts = excerpt.split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === "<mark>") { marked = true; continue; }
    if (part === "</mark>") { marked = false; continue; }
    const text = part.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    p.append(marked ? el("mark", {}, text) : document.createTextNode(text));
  }
  return p;
}

function resultNode(data) {
  const li = el("li");
  const h = el("h2");
  h.append(el("a", { href: data.url }, data.meta.title || data.url));
  li.append(h);
  const info = el("p", { class: "result-office" });
  if (data.meta["镇街"]) info.append(document.createTextNode(data.meta["镇街"] + " · "));
  info.append(document.createTextNode("承办：" + (data.meta["承办机构"] || "未注明")));
  if (data.meta["电话"]) {
    info.append(document.createTextNode(" · 电话 "));
    info.append(el("a", { href: "tel:" + data.meta["电话"].replace(/[^0-9+]/g, "") }, data.meta["电话"]));
  }
  li.append(info);
  if (data.excerpt) li.append(excerptNode(data.excerpt));
  return li;
}

async function start() {
  const root = new URL(app.dataset.root, location.href);
  const bundles = app.dataset.bundles.split(" ").filter(Boolean);
  const form = app.querySelector("[data-search-form]");
  const input = form.querySelector("input[name=q]");
  const status = app.querySelector("[data-search-status]");
  const list = app.querySelector("[data-search-results]");
  const more = app.querySelector("[data-search-more]");
  const selects = [...app.querySelectorAll("[data-search-filter]")];
  if (!bundles.length) return;

  // The 区县 options come with the page, each naming its county's bundles.
  const countySelect = selects.find((s) => s.dataset.searchFilter === "区县");
  const countyBundles = new Map([...(countySelect ? countySelect.options : [])]
    .filter((o) => o.value).map((o) => [o.value, o.dataset.bundles.split(" ").filter(Boolean)]));

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  if (countySelect) countySelect.value = params.get("区县") || "";

  // Bundles are loaded when a search first needs them, and stay merged: a search within
  // one 区县 needs only that county's (a few of the hundreds a province has; every bundle
  // adds to the setup and to each query), any other search needs them all. Loads run one
  // after another, so a bundle is never merged twice. Pagefind keeps a bundle that failed
  // to load and fails every later search on it, so a failed load drops everything and the
  // next search starts again from nothing.
  let pagefind = null;
  let filtersShown = false;
  let filtersStale = true; // bundles were merged since the filter options were made
  const loaded = new Set();
  let loading = Promise.resolve();
  function needed() {
    return countyBundles.get(countySelect && countySelect.value) || bundles;
  }
  function load(wanted) {
    loading = loading.catch(() => {}).then(async () => {
      const todo = wanted.filter((b) => !loaded.has(b));
      if (!todo.length) return;
      status.textContent = "正在载入搜索……";
      try {
        if (!pagefind) {
          pagefind = await import(new URL(todo[0] + "pagefind.js", root).href);
          await pagefind.options({ baseUrl: root.pathname, ranking: { metaWeights: { title: 5, "字": 0 } } });
          await pagefind.init();
          loaded.add(todo[0]);
        }
        const rest = todo.filter((b) => !loaded.has(b));
        await Promise.all(rest.map((b) =>
          pagefind.mergeIndex(new URL(b, root).href, { baseUrl: root.pathname })));
        for (const b of rest) loaded.add(b);
      } catch (err) {
        if (pagefind) await pagefind.destroy().catch(() => {});
        pagefind = null;
        loaded.clear();
        throw err;
      } finally {
        filtersStale = true;
      }
    });
    return loading;
  }

  // A filter's value: its select once the filters are shown, before that the URL's (the
  // 区县 options come with the page and are set from the URL at once).
  function chosen(select) {
    if (filtersShown || select === countySelect) return select.value;
    return params.get(select.dataset.searchFilter) || "";
  }

  // The other filters offer the values of the bundles loaded so far, and the chosen value
  // even if none of them has it (that is what was searched). Asking Pagefind for them
  // loads every filter file of every bundle, so it is done after the results are shown.
  function refreshFilters() {
    loading = loading.catch(() => {}).then(async () => {
      if (!pagefind || !filtersStale) return;
      filtersStale = false;
      try {
        const available = await pagefind.filters();
        for (const select of selects) {
          if (select === countySelect) continue;
          const current = chosen(select);
          const values = Object.keys(available[select.dataset.searchFilter] || {});
          if (current && !values.includes(current)) values.push(current);
          values.sort((a, b) => a.localeCompare(b, "zh-Hans-CN"));
          select.replaceChildren(el("option", { value: "" }, "全部"),
            ...values.map((value) => el("option", { value }, value)));
          select.value = current;
        }
        form.querySelector("[data-search-filters]").hidden = false;
        filtersShown = true;
      } catch (err) {
        filtersStale = true;
        console.warn(err);
      }
    });
    return loading;
  }

  let results = [];
  let shown = 0;
  let generation = 0; // bumped by every search; stale work checks it and gives up
  async function showMore(mine = generation) {
    const page = results.slice(shown, shown + PAGE_SIZE);
    shown += page.length; // reserve this page now, so a second click takes the next one
    const data = await Promise.all(page.map((r) => r.data()));
    if (mine !== generation) return;
    for (const d of data) list.append(resultNode(d));
    more.hidden = shown >= results.length;
  }

  // ICU (the browser) and jieba (the index) segment differently. Also search the query
  // split into single characters (they match the hidden 字 field) and append what that
  // adds. Then, among the first RERANK: drop pages that lack one of the query's
  // characters (for a word it does not know Pagefind falls back to words that start like
  // it, and it ignores characters no page has: 电视 finds every page with 电话), and put
  // the pages that contain the query itself first (Pagefind's ranking ignores whether
  // the characters are adjacent).
  const RERANK = 100;
  const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
  async function searchAll(term, filters) {
    const compact = term.replace(/\s+/g, "");
    const splitting = CJK.test(compact) && [...compact].length >= 2;
    const [whole, parts] = await Promise.all([ // both at once: their fetches overlap
      pagefind.search(term || null, { filters }),
      splitting ? pagefind.search([...compact].join(" "), { filters }) : null,
    ]);
    const first = whole.results;
    if (!splitting) return first;
    const split = parts.results;
    const seen = new Set(first.map((r) => r.id)); // ids name their bundle: unique in the site
    const merged = [...first, ...split.filter((r) => !seen.has(r.id))];
    const head = merged.slice(0, RERANK);
    const data = await Promise.all(head.map((r) => r.data()));
    const hasAll = (d) => [...compact].every((c) => !CJK.test(c) || (d.meta["字"] || "").includes(c));
    const tier = (d) => (d.meta.title || "").includes(compact) ? 0
      : (d.meta["关键词"] || "").replace(/\s+/g, "").includes(compact) ? 1
      : d.content.replace(/\u200b/g, "").includes(compact) ? 2 : 3;
    const ranked = head.map((r, i) => ({ r, d: data[i], t: tier(data[i]), i }))
      .filter(({ d }) => hasAll(d))
      .sort((a, b) => a.t - b.t || a.i - b.i)
      .map(({ r, d }) => ({ ...r, data: async () => d }));
    return ranked.length ? [...ranked, ...merged.slice(RERANK)] : [];
  }

  // A failure of the latest search says so; a stale search's failure is of no interest.
  async function run(push) {
    const mine = ++generation;
    try {
      await search(mine, push);
    } catch (err) {
      if (mine !== generation) return;
      status.textContent = UNAVAILABLE;
      console.warn(err);
    }
  }

  async function search(mine, push) {
    const term = input.value.trim();
    const query = new URLSearchParams();
    if (term) query.set("q", term);
    const filters = {};
    for (const s of selects) if (chosen(s)) filters[s.dataset.searchFilter] = chosen(s);
    for (const [name, value] of Object.entries(filters)) query.set(name, value);
    if (push) history.replaceState(null, "", "?" + query.toString());
    list.replaceChildren();
    more.hidden = true;
    await load(needed());
    if (mine !== generation) return;
    if (term || Object.keys(filters).length) {
      status.textContent = "正在搜索……";
      const found = await searchAll(term, filters);
      if (mine !== generation) return;
      results = found;
      shown = 0;
      const label = term ? "“" + term + "”" : "所选条件";
      status.textContent = results.length ? "找到 " + results.length + " 条与" + label + "相关的结果"
        : "没有找到与" + label + "相关的结果。可以换个说法，或减少筛选条件。";
      await showMore(mine);
    } else {
      status.textContent = "请输入要办的事，或选择筛选条件。";
    }
    await refreshFilters();
  }

  form.addEventListener("submit", (e) => { e.preventDefault(); run(true); });
  for (const s of selects) s.addEventListener("change", () => run(true));
  more.addEventListener("click", () => showMore());
  await run(false);
}

const UNAVAILABLE = "搜索暂时不可用，请按区县和镇街浏览。";
if (app) start().catch((err) => {
  app.querySelector("[data-search-status]").textContent = UNAVAILABLE;
  console.warn(err);
});
