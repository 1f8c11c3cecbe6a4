// Query understanding for the search page: what a resident types → the catalogue's words.
// Pure functions over the lexicon that the build writes (towncat/search/lexicon.py):
//   words   the site's item names, keywords and office names, and the thesaurus's words
//   says    a resident's phrase → the catalogue words it means (content/thesaurus.yaml)
//   t2s     traditional or variant character → simplified (OpenCC's data)
//   pinyin  character → its readings without tones
// Steps: normalise (width, case, traditional characters, punctuation, emoji); pinyin →
// Chinese; the thesaurus's phrases; the site's words; question and function words
// dropped (never down to nothing); a word with one wrong character matched to the site's
// word it most resembles. The result is a short list of weighted terms, searched apart.

export const MAX_QUERY = 100; // characters; a longer query is cut, never refused

// Question and function words that carry no topic (matched longest first).
const STOP_WORDS = [
  "找哪个部门", "哪个部门管", "归哪里管", "去哪里办", "在哪里办", "需要什么材料", "要什么材料",
  "怎么办理", "如何办理", "怎么申请", "如何申请", "怎么处理", "怎么投诉", "去哪投诉", "找谁投诉",
  "找谁", "谁管", "归谁管", "谁负责", "找哪里", "找哪个", "哪个部门", "管不管", "有人管吗",
  "怎么办", "怎么弄", "怎么样", "怎么", "如何", "去哪里", "去哪儿", "去哪", "在哪里", "在哪儿",
  "在哪", "哪里", "哪儿", "要不要", "需不需要", "能不能", "可不可以", "可以吗", "行不行",
  "需要什么", "需要", "什么", "申请", "办理", "手续", "请问", "我想", "我要", "想要", "咨询",
  "投诉", "举报", "反映", "一下", "有没有", "是不是", "给不给", "吗", "呢", "吧", "啊", "呀",
  "了", "的", "得", "要", "办", "想", "谁", "我", "你", "他", "她", "在", "去", "找", "有", "能",
  "不", "没", "很", "太", "都", "也", "还", "就", "给", "把", "被", "让", "和", "与", "跟", "对",
  "向", "从", "上", "下", "里", "个", "些", "这", "那", "啥", "咋",
];

export function prepareLexicon(data) {
  const lex = data || { words: [], says: {}, t2s: {}, pinyin: {} };
  const words = lex.words || [];
  const says = lex.says || {};
  return {
    words,
    says,
    phrases: Object.keys(says).sort((a, b) => b.length - a.length),
    whole: new Set([...words, ...Object.keys(says)]),
    t2s: lex.t2s || {},
    pinyin: lex.pinyin || {},
    text: "\n" + [...words, ...Object.keys(says)].join("\n") + "\n",
  };
}

// Full-width to half-width, lower case, traditional to simplified; anything but Chinese
// characters, Latin letters and digits becomes a space.
export function normalize(query, lex) {
  const text = query.slice(0, MAX_QUERY).normalize("NFKC").toLowerCase();
  const simplified = [...text].map((c) => lex.t2s[c] || c).join("");
  return simplified.replace(/[^\p{Script=Han}a-z0-9]+/gu, " ").replace(/\s+/g, " ").trim();
}

const HAN = /\p{Script=Han}/u;

function occurs(lex, piece) {
  return lex.text.includes(piece);
}

// How often a piece occurs among the site's words (a cap keeps it cheap).
function frequency(lex, piece, cap = 50) {
  let count = 0;
  for (let at = lex.text.indexOf(piece); at >= 0 && count < cap; at = lex.text.indexOf(piece, at + 1)) count++;
  return count;
}

// Whole words of the site with exactly one character different from ``piece``, most
// frequent first (宅基第 → 宅基地, 违章建竹 → 违章建筑). Only whole words: inside long
// names, all characters but one of a short stretch agree by chance too often.
function oneOff(lex, piece) {
  const n = piece.length;
  const found = new Map();
  for (const word of [...lex.words, ...lex.phrases]) {
    if (word.length !== n) continue;
    let diff = 0;
    for (let k = 0; k < n && diff < 2; k++) if (word[k] !== piece[k]) diff++;
    if (diff === 1) found.set(word, (found.get(word) || 0) + 1);
  }
  return [...found.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
}

// Chinese pieces of the site's words that ``letters`` spells: full pinyin ("weijian",
// "canjiren") or initials ("wfjs"), at least two characters.
export function fromPinyin(letters, lex) {
  const found = new Map();
  const readings = (c) => lex.pinyin[c] || [];
  for (const word of [...lex.phrases, ...lex.words]) {
    for (let start = 0; start < word.length; start++) {
      if (!readings(word[start]).length) continue;
      for (const mode of ["full", "initial"]) {
        const stack = [[start, 0]];
        while (stack.length) {
          const [i, j] = stack.pop();
          if (j === letters.length) {
            if (i - start >= 2) {
              const piece = word.slice(start, i);
              const score = (found.get(piece) || 0) + (mode === "full" ? 3 : 1);
              found.set(piece, score);
            }
            continue;
          }
          if (i >= word.length) continue;
          for (const r of readings(word[i])) {
            const step = mode === "full" ? [r] : /^[zcs]h/.test(r) ? [r[0], r.slice(0, 2)] : [r[0]];
            for (const s of step) if (letters.startsWith(s, j)) stack.push([i + 1, j + s.length]);
          }
        }
      }
    }
    if (found.size > 200) break;
  }
  return [...found.entries()].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1))
    .map(([piece]) => piece);
}

const LONG_STOP = STOP_WORDS.filter((w) => w.length >= 2).sort((a, b) => b.length - a.length);
const SHORT_STOP = new Set(STOP_WORDS.filter((w) => w.length === 1));

// Multi-character question and function words out; single characters only where they are
// no part of a word the site knows (in pieces()).
function stripStopWords(run) {
  let out = run;
  for (const w of LONG_STOP) out = out.split(w).join(" ");
  return out.split(" ").filter(Boolean);
}

// Word boundaries from the browser's dictionary (ICU); without it, single characters.
const SEGMENTER = typeof Intl !== "undefined" && Intl.Segmenter
  ? new Intl.Segmenter("zh", { granularity: "word" }) : null;

function segments(run) {
  if (!SEGMENTER) return [...run];
  return [...SEGMENTER.segment(run)].map((s) => s.segment).filter((s) => s.trim());
}

const known = (lex, seg) => seg.length >= 2 && occurs(lex, seg);

// The words of ``run`` that the site knows. Adjacent segments that together make a whole
// word of the site are joined (宅/基地 → 宅基地); a stretch the site does not know, with a
// known neighbour or alone, of three or more characters, is tried as a word with one
// wrong character (违章/建/竹 → 违章建筑); single characters are kept as weak terms.
function pieces(run, lex) {
  const segs = segments(run);
  const out = [];
  let i = 0;
  while (i < segs.length) {
    let joined = null;
    let j = Math.min(segs.length, i + 6);
    for (; j > i + 1; j--) {
      const word = segs.slice(i, j).join("");
      if (lex.whole.has(word)) { joined = word; break; }
    }
    if (joined) { out.push({ text: joined }); i = j; continue; }
    if (known(lex, segs[i])) { out.push({ text: segs[i] }); i++; continue; }
    let k = i;
    let stretch = "";
    while (k < segs.length && !known(lex, segs[k]) && !SHORT_STOP.has(segs[k])) stretch += segs[k++];
    // the stretch with up to two known words before it and one after (最低/生活/保章)
    const previous = [];
    for (let n = out.length - 1; n >= 0 && previous.length < 2 && !out[n].fixed && !out[n].single; n--) {
      previous.unshift(out[n].text);
    }
    const after = k < segs.length && known(lex, segs[k]) ? segs[k] : "";
    const tries = [];
    for (let back = previous.length; back >= 0; back--) {
      for (const a of after ? [after, ""] : [""]) {
        const b = previous.slice(previous.length - back).join("");
        tries.push({ back, a, text: b + stretch + a });
      }
    }
    const fix = tries.filter((c) => stretch && c.text.length >= 3 && !occurs(lex, c.text))
      .map((c) => ({ ...c, near: oneOff(lex, c.text)[0] })).find((c) => c.near);
    if (fix) {
      for (let n = 0; n < fix.back; n++) out.pop();
      out.push({ text: fix.near, fixed: true });
      i = k + (fix.a ? 1 : 0);
      continue;
    }
    for (const seg of stretch ? segs.slice(i, k) : [segs[i]]) {
      if (!SHORT_STOP.has(seg) && occurs(lex, seg)) out.push({ text: seg, single: seg.length === 1 });
    }
    i = stretch ? k : i + 1;
  }
  return { out };
}

// Thesaurus phrases most of whose character pairs the query has (烧垃圾 in
// 邻居在院子里烧垃圾 is exact; 后厨脏 in 外卖店后厨很脏 is close): the best two.
function closePhrases(text, lex) {
  const pairs = new Set();
  for (let i = 0; i + 1 < text.length; i++) pairs.add(text.slice(i, i + 2));
  const scored = [];
  for (const phrase of lex.phrases) {
    if (phrase.length < 3) continue;
    let shared = 0;
    for (let i = 0; i + 1 < phrase.length; i++) if (pairs.has(phrase.slice(i, i + 2))) shared++;
    const ratio = shared / (phrase.length - 1);
    if (shared >= 1 && ratio >= 0.5) scored.push([phrase, ratio]);
  }
  return scored.sort((a, b) => b[1] - a[1] || b[0].length - a[0].length).slice(0, 2);
}

// ``query`` → { clean, terms: [{text, weight}], note }: the terms to search, each apart.
export function understand(query, lex) {
  let clean = normalize(query, lex);
  const terms = new Map();
  const add = (text, weight) => {
    if (text && (!terms.has(text) || terms.get(text) < weight)) terms.set(text, weight);
  };
  const notes = [];
  // Latin letters: pinyin of the site's words; digits stay as they are.
  clean = clean.replace(/[a-z]+(?: [a-z]+)*/g, (letters) => {
    const joined = letters.replace(/ /g, "");
    const spelled = joined.length >= 2 ? fromPinyin(joined, lex) : [];
    if (!spelled.length) return " " + letters + " ";
    notes.push(spelled[0]);
    return " " + spelled[0] + " ";
  }).trim();
  // A name typed whole (an official citing an item) is searched as it is.
  let rest = clean.split(" ").map((run) => {
    if (run.length < 4 || !lex.whole.has(run)) return run;
    add(run, 1);
    return "";
  }).join(" ").trim();
  // The thesaurus: a resident's phrase adds the catalogue's words it means.
  for (const phrase of lex.phrases) {
    if (!rest.includes(phrase)) continue;
    for (const term of lex.says[phrase]) add(term, 1);
    add(phrase, 0.6);
    rest = rest.split(phrase).join(" ");
  }
  // Phrases the query comes close to, when none is in it word for word.
  if (rest === clean) { // no name and no phrase word for word
    for (const [phrase, ratio] of closePhrases(clean.replace(/ /g, ""), lex)) {
      for (const term of lex.says[phrase]) add(term, 0.8 * ratio);
    }
  }
  // What is left: function words dropped, then known words, typos mended.
  let dropped = 0;
  for (const run of rest.split(" ").filter(Boolean)) {
    if (!HAN.test(run)) { if (run.length >= 2) add(run, 0.5); continue; }
    const kept = stripStopWords(run);
    dropped += run.length - kept.join("").length;
    for (const part of kept) {
      const found = pieces(part, lex).out;
      // single characters only beside a word the site knows ("火星人" is not "人")
      const out = found.some((piece) => !piece.single) ? found : [];
      for (const piece of out) {
        const common = frequency(lex, piece.text) >= 40 ? 0.5 : 1; // 申请, 管理: found everywhere
        const weight = piece.single ? 0.25 : piece.fixed ? 0.8 : Math.min(1, 0.4 + 0.15 * piece.text.length);
        add(piece.text, common * weight);
        if (piece.fixed) notes.push(piece.text);
      }
      // Nothing the site knows: searched as typed if every character is one the site
      // uses (the words may be in body text), else it matched nothing.
      if (!out.length && part.length >= 2 && [...part].every((c) => occurs(lex, c))) add(part, 0.5);
    }
  }
  // Never down to nothing: a query of function words only is searched as typed.
  if (!terms.size && clean.replace(/ /g, "").length && dropped) {
    const whole = clean.replace(/ /g, "");
    if (HAN.test(whole) && whole.length >= 2) add(whole, 1);
  }
  if (!terms.size && /[a-z0-9]/.test(clean)) add(clean, 1);
  // A term that holds a stronger one adds little but time (低保 and 低保金): left out.
  const ordered = [];
  for (const entry of [...terms.entries()].sort((a, b) => b[1] - a[1])) {
    if (!ordered.some(([kept]) => entry[0].includes(kept))) ordered.push(entry);
  }
  ordered.splice(6);
  return {
    clean,
    terms: ordered.map(([text, weight]) => ({ text, weight })),
    note: notes.join("、"),
  };
}

// Each pair of adjacent Chinese characters as the ASCII word the build indexes in the
// hidden 码 field (towncat/site/pages.py name_grams): an exact match on names and
// keywords that does not depend on how the browser and the indexer split words.
export function grams(text) {
  const han = [...text].filter((c) => HAN.test(c));
  const hex = (c) => c.codePointAt(0).toString(16).padStart(5, "0");
  const out = new Set();
  for (let i = 0; i + 1 < han.length; i++) out.add("k" + hex(han[i]) + hex(han[i + 1]));
  return [...out].join(" ");
}

// Site words that share most characters with the query, for the page that found nothing.
export function suggestions(clean, lex, limit = 5) {
  const chars = new Set([...clean].filter((c) => HAN.test(c)));
  if (!chars.size) return [];
  const scored = [];
  for (const word of [...lex.phrases, ...lex.words.filter((w) => w.length <= 8)]) {
    let shared = 0;
    for (const c of new Set(word)) if (chars.has(c)) shared++;
    const share = shared / new Set(word).size;  // most of the word is in the query
    if (shared >= Math.min(2, chars.size) && share >= 0.5) scored.push([word, share + shared]);
  }
  return scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit).map(([w]) => w);
}
