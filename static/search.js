// Search page: Pagefind's JS API over one bundle per 区县, merged in the browser.
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

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  status.textContent = "正在载入搜索……";
  const pagefind = await import(new URL(bundles[0] + "pagefind.js", root).href);
  await pagefind.options({ baseUrl: root.pathname, ranking: { metaWeights: { title: 5, "字": 0 } } });
  await pagefind.init();
  await Promise.all(bundles.slice(1).map((b) =>
    pagefind.mergeIndex(new URL(b, root).href, { baseUrl: root.pathname })));

  const available = await pagefind.filters();
  for (const select of selects) {
    const name = select.dataset.searchFilter;
    const values = Object.keys(available[name] || {}).sort((a, b) => a.localeCompare(b, "zh-Hans-CN"));
    for (const value of values) select.append(el("option", { value }, value));
    select.value = params.get(name) || "";
  }
  form.querySelector("[data-search-filters]").hidden = false;

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
    const seen = new Set(first.map((r) => r.id));
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

  async function run(push) {
    const mine = ++generation;
    const term = input.value.trim();
    const filters = {};
    for (const s of selects) if (s.value) filters[s.dataset.searchFilter] = s.value;
    const query = new URLSearchParams();
    if (term) query.set("q", term);
    for (const [k, v] of Object.entries(filters)) query.set(k, v);
    if (push) history.replaceState(null, "", "?" + query.toString());
    list.replaceChildren();
    more.hidden = true;
    if (!term && !Object.keys(filters).length) { status.textContent = "请输入要办的事，或选择筛选条件。"; return; }
    status.textContent = "正在搜索……";
    const found = await searchAll(term, filters);
    if (mine !== generation) return;
    results = found;
    shown = 0;
    const label = term ? "“" + term + "”" : "所选条件";
    status.textContent = results.length ? "找到 " + results.length + " 条与" + label + "相关的结果"
      : "没有找到与" + label + "相关的结果。可以换个说法，或减少筛选条件。";
    await showMore(mine);
  }

  form.addEventListener("submit", (e) => { e.preventDefault(); run(true); });
  for (const s of selects) s.addEventListener("change", () => run(true));
  more.addEventListener("click", () => showMore());
  await run(false);
}

if (app) start().catch((err) => {
  const status = app.querySelector("[data-search-status]");
  status.textContent = "搜索暂时不可用，请按区县和镇街浏览。";
  console.warn(err);
});
