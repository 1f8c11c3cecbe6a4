// Search page: queries understood with query.js, answered from the compact index
// (towncat/search/compact.py: a few small files a query; filters and their options
// included). The page works without this script (the form degrades to browsing links).
import { MAX_QUERY, grams, prepareLexicon, suggestions, understand } from "./query.js";

const app = document.querySelector("[data-search-app]");
const PAGE_SIZE = 10;

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

function resultNode(data) {
  const li = el("li");
  const h = el("h2");
  h.append(el("a", { href: data.url }, data.meta.title || data.url));
  li.append(h);
  if (data.meta["状态"]) li.append(el("p", { class: "result-status" }, data.meta["状态"]));
  const info = el("p", { class: "result-office" });
  if (data.meta["镇街"]) info.append(document.createTextNode(data.meta["镇街"] + " · "));
  info.append(document.createTextNode("承办：" + (data.meta["承办机构"] || "未注明")));
  if (data.meta["电话"]) {
    info.append(document.createTextNode(" · 电话 "));
    info.append(el("a", { href: "tel:" + data.meta["电话"].replace(/[^0-9+]/g, "") }, data.meta["电话"]));
  }
  li.append(info);
  return li;
}

async function start() {
  const root = new URL(app.dataset.root, location.href);
  const bundles = app.dataset.bundles.split(" ").filter(Boolean); // none: no search index
  const form = app.querySelector("[data-search-form]");
  const input = form.querySelector("input[name=q]");
  const status = app.querySelector("[data-search-status]");
  const list = app.querySelector("[data-search-results]");
  const more = app.querySelector("[data-search-more]");
  const help = app.querySelector("[data-search-help]");
  const selects = [...app.querySelectorAll("[data-search-filter]")];
  if (!bundles.length) return;

  // The 区县 options come with the page; the others with the compact index's metadata.
  const countySelect = selects.find((s) => s.dataset.searchFilter === "区县");

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  if (countySelect) countySelect.value = params.get("区县") || "";
  // The filters are folded away (the answer comes first on a phone), open when one is set.
  const details = form.querySelector("details");
  if (selects.some((s) => params.get(s.dataset.searchFilter))) details.open = true;

  let results = [];
  let shown = 0;
  let generation = 0; // bumped by every search; stale work checks it and gives up
  let appending = Promise.resolve();
  async function showMore(mine = generation) {
    const page = results.slice(shown, shown + PAGE_SIZE);
    shown += page.length; // reserve this page now, so a second click takes the next one
    // every card asked for at once, each shown as soon as it and those above it are here
    // (after the cards of an earlier click)
    const data = page.map((r) => r.data());
    data.forEach((d) => d.catch(() => {})); // a failure is reported once, below
    const before = appending;
    appending = (async () => {
      await before.catch(() => {});
      for (const d of data) {
        const card = await d;
        if (mine !== generation) return;
        list.append(resultNode(card));
      }
      more.hidden = shown >= results.length;
    })();
    return appending;
  }

  // The lexicon (towncat/search/lexicon.py) turns what a resident types into the
  // catalogue's words: see understand() in query.js.
  let lexicon = null;
  async function loadLexicon() {
    if (lexicon) return lexicon;
    try {
      const response = await fetch(new URL(app.dataset.lexicon, location.href));
      lexicon = response.ok ? prepareLexicon(await response.json()) : prepareLexicon(null);
    } catch (err) {
      console.warn(err);
      lexicon = prepareLexicon(null);
    }
    return lexicon;
  }


  // The compact index (towncat/search/compact.py): per word, the records that have it
  // (a character pair of a name or keyword, a character or a Latin/digit run of the
  // text); per record one byte (withdrawn, length of its text); the result cards in
  // small files. A query fetches the metadata once and then only its words' buckets
  // and the cards it shows.
  let compact = null;
  function loadCompact() {
    if (!compact) {
      const base = new URL(app.dataset.compact, location.href);
      compact = fetchJson(new URL("meta.json", base)).then((meta) => {
        const bytes = Uint8Array.from(atob(meta.lengths), (c) => c.charCodeAt(0));
        let sum = 0;
        for (const b of bytes) sum += b & 127;
        return { base, meta, bytes, average: Math.max(1, sum / Math.max(1, bytes.length)),
                 buckets: new Map(), chunks: new Map() };
      });
      compact.catch(() => { compact = null; });
    }
    return compact;
  }
  async function fetchJson(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(url + ": " + response.status);
    return response.json();
  }
  function cached(map, key, url) {
    if (!map.has(key)) {
      const promise = fetchJson(url);
      map.set(key, promise);
      promise.catch(() => map.delete(key));
    }
    return map.get(key);
  }
  function fnv(text) { // FNV-1a, 32 bits (compact.py fnv1a)
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
    return h;
  }
  // A character pair's bucket (of a name or a material) is its first character's
  // (compact.py bucket_key).
  const bucketOf = (c, word) =>
    fnv(/^[kcm]/.test(word) ? "c" + word.slice(1, 6) : word) % c.meta.buckets;
  // The records that have every one of ``words``, as a bit set.
  async function having(c, words) {
    const size = (c.meta.records + 7) >> 3;
    const sets = await Promise.all(words.map(async (word) => {
      const n = bucketOf(c, word);
      const bucket = await cached(c.buckets, n, new URL("b/" + n + ".json", c.base));
      const value = bucket[word];
      const bits = new Uint8Array(size);
      if (typeof value === "string") {
        const raw = atob(value);
        for (let i = 0; i < raw.length; i++) bits[i] = raw.charCodeAt(i);
      } else if (value) {
        let at = 0;
        for (const gap of value) { at += gap; bits[at >> 3] |= 1 << (at & 7); }
      }
      return bits;
    }));
    const out = sets[0];
    for (const other of sets.slice(1)) for (let i = 0; i < out.length; i++) out[i] &= other[i];
    return out;
  }
  function* members(bits, ranges) {
    for (const [from, count] of ranges) {
      for (let n = from; n < from + count; n++) if (bits[n >> 3] & (1 << (n & 7))) yield n;
    }
  }
  const hexCode = (ch) => ch.codePointAt(0).toString(16).padStart(5, "0");
  // A term's searches: its character pairs in names and keywords, in the documents a
  // guide asks for at 0.4 of the weight, and its characters anywhere at 0.35; a term without
  // two Chinese characters: its characters and Latin/digit runs anywhere.
  function compactPlan(terms) {
    const out = [];
    terms.slice(0, MAX_TERMS).forEach((t, of) => {
      const han = [...t.text].filter((ch) => /\p{Script=Han}/u.test(ch));
      const chars = [...new Set(han)].map((ch) => "c" + hexCode(ch));
      const pairs = grams(t.text);
      if (pairs) {
        const words = [...new Set(pairs.split(" "))];
        out.push({ words, weight: t.weight, of, precise: [...t.text].length >= PRECISE, word: true });
        // the same pairs in the documents a guide asks for (户口簿, 营业执照)
        out.push({ words: words.map((w) => "m" + w.slice(1)), weight: t.weight * MATERIAL, of, word: true });
        out.push({ words: chars, weight: t.weight * BODY, of });
        return;
      }
      const latin = (t.text.match(/[a-z0-9]{2,}/g) || []).map((w) => "a" + w);
      if (chars.length || latin.length) out.push({ words: [...chars, ...latin], weight: t.weight, of });
    });
    return out;
  }
  // Pagefind's length normalisation (BM25, its defaults), relative within one search.
  function lengthNorm(c, n) {
    const ratio = (c.bytes[n] & 127) / c.average;
    return 2.4 / (1 + 1.4 * (0.25 + 0.75 * ratio));
  }
  async function searchCompact(terms, filters) {
    const c = await loadCompact();
    const ranges = c.meta.towns.filter(([county, town]) =>
      (!filters["区县"] || county === filters["区县"]) && (!filters["镇街"] || town === filters["镇街"]))
      .map(([, , from, count]) => [from, count]);
    const old = (n) => c.bytes[n] & 128;
    // the other filters are words every result must have as well
    const required = Object.entries(filters).filter(([name]) => name !== "区县" && name !== "镇街")
      .map(([name, value]) => filterWord(name, value));
    if (!terms.length) {
      const all = required.length ? await having(c, required)
        : new Uint8Array((c.meta.records + 7) >> 3).fill(255);
      const ids = [...members(all, ranges)].sort((a, b) => (old(a) - old(b)) || (a - b));
      return { results: ids.map((n) => compactResult(c, n)), missed: [] };
    }
    const searches = compactPlan(terms);
    const found = await Promise.all(searches.map((s) => having(c, [...s.words, ...required])));
    const scores = new Map();
    const precise = new Set();
    const hits = searches.map(() => 0);
    found.forEach((bits, i) => {
      const ids = [...members(bits, ranges)];
      hits[i] = ids.length;
      const top = ids.reduce((max, n) => Math.max(max, lengthNorm(c, n)), 1e-9);
      for (const n of ids) {
        scores.set(n, (scores.get(n) || 0) + searches[i].weight * (0.5 + 0.5 * lengthNorm(c, n) / top));
        if (searches[i].precise) precise.add(n);
      }
    });
    const last = (n) => (old(n) && !precise.has(n) ? 1 : 0);
    const ranked = [...scores.keys()].sort((a, b) =>
      (last(a) - last(b)) || (scores.get(b) - scores.get(a)) || (a - b));
    const missed = terms.slice(0, MAX_TERMS).filter((t, of) => searches.every((s, i) => s.of !== of || !hits[i]));
    // no term found as a word of a name, keyword or document, only as scattered
    // characters (出国签证): the results are likely beside the point, and the page says so
    const loose = !searches.some((s, i) => s.word && hits[i]) && searches.some((s) => s.word);
    return { results: ranked.map((n) => compactResult(c, n)), missed, loose };
  }
  // A result whose card is loaded when it is shown.
  function compactResult(c, n) {
    return {
      id: "r" + n,
      async data() {
        const chunk = Math.floor(n / c.meta.chunk);
        const cards = await cached(c.chunks, chunk, new URL("c/" + chunk + ".json", c.base));
        const [url, title, town, office, phone, status] = cards[n % c.meta.chunk];
        const meta = { title, "镇街": town, "承办机构": office };
        if (phone) meta["电话"] = phone;
        if (status) meta["状态"] = status;
        return { url: new URL(url, root).pathname, meta };
      },
    };
  }
  // A term of two or more Chinese characters is searched twice: as pairs of characters
  // in names and keywords (exact, the main signal), and as its single characters, which
  // every record has that contains them all, wherever they are, at a lower weight.
  const BODY = 0.35;
  const MATERIAL = 0.4; // a document the item's guide asks for: below its name, near its text
  const MAX_TERMS = 4;
  const PRECISE = 8; // characters: a long name matched pair by pair is an item being cited

  // A filter's value: its select once the options are there, before that the URL's (the
  // 区县 options come with the page and are set from the URL at once).
  let filtersShown = false;
  function chosen(select) {
    if (filtersShown || select === countySelect) return select.value;
    return params.get(select.dataset.searchFilter) || "";
  }
  // The options, made again at each search: the 镇街 of the chosen 区县 (or all), the
  // other filters' values, and the chosen value even if no record has it (that is what
  // was searched).
  function showFilters(c) {
    const county = countySelect ? countySelect.value : "";
    for (const select of selects) {
      if (select === countySelect) continue;
      const name = select.dataset.searchFilter;
      const current = chosen(select);
      const values = name === "镇街"
        ? [...new Set(c.meta.towns.filter(([k]) => !county || k === county).map(([, town]) => town))]
        : [...(c.meta.filters[name] || [])];
      if (current && !values.includes(current)) values.push(current);
      values.sort((a, b) => a.localeCompare(b, "zh-Hans-CN"));
      select.replaceChildren(el("option", { value: "" }, "全部"),
        ...values.map((value) => el("option", { value }, value)));
      select.value = current;
    }
    form.querySelector("[data-search-filters]").hidden = false;
    filtersShown = true;
  }
  // The word a record has for a filter value (compact.py filter_word).
  function filterWord(name, value) {
    let h = 2166136261;
    for (const byte of new TextEncoder().encode(name + "=" + value)) h = Math.imul(h ^ byte, 16777619) >>> 0;
    return "f" + h.toString(16).padStart(8, "0");
  }

  // A failure of the latest search says so; a stale search's failure is of no interest.
  async function run(push) {
    const mine = ++generation;
    list.setAttribute("aria-busy", "true"); // until the first page of results is all here
    try {
      await search(mine, push);
    } catch (err) {
      if (mine !== generation) return;
      status.textContent = UNAVAILABLE;
      console.warn(err);
    }
    if (mine === generation) list.setAttribute("aria-busy", "false");
  }

  async function search(mine, push) {
    const typed = input.value.slice(0, MAX_QUERY).trim();
    const query = new URLSearchParams();
    if (typed) query.set("q", typed);
    const filters = {};
    for (const s of selects) if (chosen(s)) filters[s.dataset.searchFilter] = chosen(s);
    for (const [name, value] of Object.entries(filters)) query.set(name, value);
    if (push) history.replaceState(null, "", "?" + query.toString());
    list.replaceChildren();
    help.replaceChildren();
    help.hidden = true;
    more.hidden = true;
    const [lex, c] = await Promise.all([loadLexicon(), loadCompact()]);
    if (mine !== generation) return;
    showFilters(c);
    const understood = typed ? understand(typed, lex) : null;
    if (typed && !understood.clean) {
      status.textContent = "请输入要办的事（如：装修太吵、低保、宅基地），不要只输入标点或符号。";
    } else if (understood && !understood.terms.length) { // words the site has never used
      status.textContent = "没有找到与“" + typed + "”相关的结果。";
      showHelp(understood, [{ text: understood.clean }], lex, filters, c);
    } else if (understood || Object.keys(filters).length) {
      status.textContent = "正在搜索……";
      const terms = understood ? understood.terms : [];
      const found = await searchCompact(terms, filters);
      if (mine !== generation) return;
      results = found.results;
      shown = 0;
      const label = typed ? "“" + typed + "”" : "所选条件";
      const meant = understood && understood.note ? "（按“" + understood.note + "”搜索）" : "";
      status.textContent = results.length ? "找到 " + results.length + " 条与" + label + "相关的结果" + meant
        : "没有找到与" + label + "相关的结果。";
      if (!results.length) showHelp(understood, found.missed, lex, filters, c);
      else if (found.loose) showHelp(understood, [], lex, filters, c, "没有事项的名称或关键词与“" + typed
        + "”对应，下面的结果只是含有其中的字，可能不相关。");
      await showMore(mine);
    } else {
      status.textContent = "请输入要办的事，或选择筛选条件。";
    }
  }

  // Nothing found: what matched nothing, words the site knows that look alike, and where
  // a person can ask instead.
  function showHelp(understood, missedTerms, lex, filters, c, lead = "") {
    const parts = lead ? [el("p", {}, lead)] : [];
    if (understood) {
      const missed = missedTerms.map((t) => t.text);
      if (missed.length) parts.push(el("p", {}, "这些词没有找到对应事项：" + missed.join("、")));
      const close = suggestions(understood.clean, lex);
      if (close.length) {
        const p = el("p", {}, "您是不是要找：");
        close.forEach((word, i) => {
          if (i) p.append(document.createTextNode("、"));
          p.append(el("a", { href: "?q=" + encodeURIComponent(word) }, word));
        });
        parts.push(p);
      }
    }
    if (Object.keys(filters).length) parts.push(el("p", {}, "也可以减少筛选条件再试。"));
    // a search within one town: that town's 便民服务中心, by phone, and its page
    const town = filters["镇街"] && c.meta.towns.find(([county, name]) =>
      name === filters["镇街"] && (!filters["区县"] || county === filters["区县"]));
    const ask = el("p", {}, "不知道找哪个部门？");
    if (town) {
      const [, name, , , slug, phone, sample] = town;
      ask.append(document.createTextNode("可以问" + name + "便民服务中心"));
      if (phone) {
        ask.append(document.createTextNode("（电话 "), el("a", { href: "tel:" + phone.replace(/[^\d+]/g, "") }, phone),
          document.createTextNode(sample ? "，示例数据）" : "）"));
      }
      ask.append(document.createTextNode("，地址和办公时间见"),
        el("a", { href: new URL("towns/" + slug + "/", root).href }, name + "的页面"),
        document.createTextNode("；或拨打政务服务便民热线 "));
    } else {
      ask.append(document.createTextNode("可以到所在镇街的便民服务中心咨询，或拨打政务服务便民热线 "));
    }
    ask.append(el("a", { href: "tel:12345" }, "12345"), document.createTextNode("。"));
    parts.push(ask);
    const browse = el("p", {}, "按");
    browse.append(el("a", { href: new URL("./", root).href }, "区县和镇街"),
      document.createTextNode("浏览全部清单（每个清单都可按事项类型筛选），或查看"),
      el("a", { href: new URL("compare/", root).href }, "各镇街的事项对比"),
      document.createTextNode("。"));
    parts.push(browse);
    help.replaceChildren(...parts);
    help.hidden = false;
  }

  form.addEventListener("submit", (e) => { e.preventDefault(); run(true); });
  for (const s of selects) s.addEventListener("change", () => run(true));
  more.addEventListener("click", () => showMore().catch((err) => console.warn(err)));
  await run(false);
}

const UNAVAILABLE = "搜索暂时不可用，请按区县和镇街浏览。";
if (app) start().catch((err) => {
  app.querySelector("[data-search-status]").textContent = UNAVAILABLE;
  console.warn(err);
});
