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

// Question and function words that carry no topic, longest first when matched.
const STOP_WORDS = [
  "找哪个部门", "哪个部门管", "归哪里管", "去哪里办", "在哪里办", "需要什么材料", "要什么材料",
  "怎么办理", "如何办理", "怎么申请", "如何申请", "怎么处理", "怎么投诉", "去哪投诉", "找谁投诉",
  "找谁", "谁管", "归谁管", "谁负责", "找哪里", "找哪个", "哪个部门", "管不管", "有人管吗",
  "怎么办", "怎么弄", "怎么样", "怎么", "如何", "去哪里", "去哪儿", "去哪", "在哪里", "在哪儿",
  "在哪", "哪里", "哪儿", "要不要", "需不需要", "能不能", "可不可以", "可以吗", "行不行",
  "需要什么", "需要", "什么", "申请", "办理", "手续", "请问", "我想", "我要", "想要", "咨询",
  "投诉", "举报", "反映", "一下", "有没有", "是不是", "给不给", "吗", "呢", "吧", "啊", "呀",
  "了", "的", "得", "要", "办", "想", "谁", "我", "你", "他", "她", "在", "去", "找", "有", "能",
];

export function prepareLexicon(data) {
  const lex = data || { words: [], says: {}, t2s: {}, pinyin: {} };
  const words = lex.words || [];
  const says = lex.says || {};
  return {
    words,
    says,
    phrases: Object.keys(says).sort((a, b) => b.length - a.length),
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

// Pieces of the site's words with exactly one character different from ``piece``.
// A piece of three characters is only matched to a whole word (宅基第 → 宅基地): inside
// long names two characters in three agree by chance too often.
function oneOff(lex, piece) {
  const n = piece.length;
  const found = new Map();
  const pool = [...lex.words, ...lex.phrases];
  for (const word of pool) {
    if (word.length < n || (n < 4 && word.length !== n)) continue;
    for (let i = 0; i + n <= word.length; i++) {
      let diff = 0;
      for (let k = 0; k < n && diff < 2; k++) if (word[i + k] !== piece[k]) diff++;
      if (diff === 1) {
        const window = word.slice(i, i + n);
        found.set(window, (found.get(window) || 0) + 1);
      }
    }
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

const LONG_STOP = STOP_WORDS.filter((w) => w.length >= 2);
const SHORT_STOP = new Set(STOP_WORDS.filter((w) => w.length === 1));

// Multi-character question and function words out; single characters only where they are
// no part of a word the site knows (in pieces()).
function stripStopWords(run) {
  let out = run;
  for (const w of LONG_STOP) out = out.split(w).join(" ");
  return out.split(" ").filter(Boolean);
}

// The greedy pieces of ``run`` that the site knows (2+ characters each); a stretch that
// is no known piece is tried as a word with one wrong character.
function pieces(run, lex) {
  const out = [];
  const unknown = [];
  let i = 0;
  while (i < run.length) {
    let length = 0;
    for (let n = Math.min(run.length - i, 12); n >= 2; n--) {
      if (occurs(lex, run.slice(i, i + n))) { length = n; break; }
    }
    if (length) {
      out.push({ text: run.slice(i, i + length), fixed: false });
      i += length;
      continue;
    }
    if (SHORT_STOP.has(run[i])) { i += 1; continue; }
    let fixed = null;
    for (let n = Math.min(run.length - i, 6); n >= 3 && !fixed; n--) {
      const near = oneOff(lex, run.slice(i, i + n));
      if (near.length) fixed = near[0];
    }
    if (fixed) {
      out.push({ text: fixed, fixed: true });
      i += fixed.length;
    } else {
      unknown.push(run[i]);
      i += 1;
    }
  }
  return { out, unknown };
}

// ``query`` → { clean, terms: [{text, weight}], note }: the terms to search, each apart.
export function understand(query, lex) {
  let clean = normalize(query, lex);
  const terms = new Map();
  const exact = new Set(); // words the site does not know: matched in names and keywords only
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
  let rest = clean;
  // The thesaurus: a resident's phrase adds the catalogue's words it means.
  for (const phrase of lex.phrases) {
    if (!rest.includes(phrase)) continue;
    for (const term of lex.says[phrase]) add(term, 1);
    add(phrase, 0.6);
    rest = rest.split(phrase).join(" ");
  }
  // What is left: function words dropped, then known pieces, typos mended.
  let dropped = 0;
  for (const run of rest.split(" ").filter(Boolean)) {
    if (!HAN.test(run)) { if (run.length >= 2) add(run, 0.5); continue; }
    const kept = stripStopWords(run);
    dropped += run.length - kept.join("").length;
    for (const part of kept) {
      const { out } = pieces(part, lex);
      for (const piece of out) {
        const common = frequency(lex, piece.text) >= 40 ? 0.5 : 1; // 申请, 管理: found everywhere
        add(piece.text, common * (piece.fixed ? 0.8 : Math.min(1, 0.4 + 0.15 * piece.text.length)));
        if (piece.fixed) notes.push(piece.text);
      }
      // Nothing the site knows: searched as typed if every character is one the site
      // uses (the words may be in body text), else it matched nothing.
      if (!out.length && part.length >= 2 && [...part].every((c) => occurs(lex, c))) {
        terms.set(part, 0.5);
        exact.add(part);
      }
    }
  }
  // Never down to nothing: a query of function words only is searched as typed.
  if (!terms.size && clean.replace(/ /g, "").length && dropped) {
    const whole = clean.replace(/ /g, "");
    if (HAN.test(whole) && whole.length >= 2) add(whole, 1);
  }
  if (!terms.size && /[a-z0-9]/.test(clean)) add(clean, 1);
  const ordered = [...terms.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6);
  return {
    clean,
    terms: ordered.map(([text, weight]) => ({ text, weight, exact: exact.has(text) })),
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
    if (shared >= Math.min(2, chars.size)) scored.push([word, shared / new Set(word).size + shared]);
  }
  return scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit).map(([w]) => w);
}
