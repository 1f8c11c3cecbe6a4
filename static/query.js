// Query understanding for the search page: what a resident types → the catalogue's words.
// Pure functions over the lexicon that the build writes (towncat/search/lexicon.py):
//   words   the site's item names, keywords and office names, and the thesaurus's words
//   entries the thesaurus: [phrases, the catalogue words they mean] (content/thesaurus.yaml)
//   t2s     traditional or variant character → simplified (OpenCC's data)
//   pinyin  character → its readings without tones
// Steps: normalise (width, case, traditional characters, punctuation, emoji); pinyin →
// Chinese; the thesaurus's phrases; the site's words; question and function words
// dropped (never down to nothing); a word with one wrong character matched to the site's
// word it most resembles. The result is a short list of weighted terms, searched apart.

export const MAX_QUERY = 100; // characters; a longer query is cut, never refused
const MAX_SPELLED = 12; // pinyin reading in one query: runs beside Chinese, and tries at plain letters

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
  // greetings and polite padding
  "麻烦问一下", "想问一下", "请问一下", "问一下", "我想问", "请教一下", "请教", "你好", "您好",
  "谢谢", "麻烦", "帮帮忙", "帮个忙", "帮忙", "打扰了", "急急急", "在线等",
  // more question words
  "怎么回事", "该怎么", "应该", "为什么", "什么时候", "多长时间", "多久", "哪些", "哪个",
  "可以", "是否", "到底", "究竟", "咋办", "咋整", "咋弄", "怎么整", "有用吗", "管用吗",
  "嘛", "哦", "哈", "呗", "啦", "么", "俺", "咱", "您",
  // how bad it is, not what (吵死了, 油烟太大了)
  "死了", "受不了", "不得了", "要命", "厉害", "特别", "非常", "十分", "实在", "真的", "简直",
  "太大", "很大", "好多", "很多",
];

// Words that say who or where but not what (有人, 村里, 邻居 …): kept, at a low weight,
// so that the matter itself decides the ranking.
const CONTEXT_WORDS = new Set([
  "有人", "别人", "人家", "村里", "村上", "家里", "家门口", "邻居", "邻居家", "隔壁", "对门",
  "附近", "旁边", "周边", "门口", "楼上", "楼下", "小区", "我家", "我们", "咱们", "他们", "我们村",
  "天天", "每天", "总是", "一直", "经常", "老是", "整天", "好几天", "现在", "今天", "昨天",
  "最近", "这里", "那里", "这边", "那边", "本地", "当地", "镇上", "私自", "随便", "东西", "事情",
]);

export function prepareLexicon(data) {
  const lex = data || { words: [], entries: [], t2s: {}, pinyin: {} };
  const words = lex.words || [];
  // the thesaurus's entries [phrases, words] → phrase → every word it means
  const says = {};
  for (const [phrases, means] of lex.entries || []) {
    for (const phrase of phrases) {
      const list = says[phrase] || (says[phrase] = []);
      for (const term of means) if (!list.includes(term)) list.push(term);
    }
  }
  // readings of common characters the site does not use (宝 in 低宝, a slip for 低保)
  const others = {};
  for (const [reading, chars] of Object.entries(lex.sounds || {})) {
    for (const c of chars) (others[c] || (others[c] = [])).push(reading);
  }
  // question words typed in pinyin (zenme, zhaoshei, shenqing): dropped like the Chinese,
  // in every reading of their characters (么: me, ma; 谁: shei, shui)
  const readingsOf = (c) => (lex.pinyin || {})[c] || others[c] || [];
  const spellings = (word) => [...word].reduce((found, c) => found.flatMap(
    (start) => readingsOf(c).slice(0, 3).map((r) => start + r)), [""]);
  const stopPinyin = new Set(STOP_WORDS.filter((w) => w.length >= 2).flatMap(spellings));
  const stopSyllables = new Set(STOP_WORDS.filter((w) => w.length === 1).flatMap(spellings));
  return {
    words,
    says,
    others,
    stopPinyin,
    stopSyllables,
    phrases: Object.keys(says).sort((a, b) => b.length - a.length),
    whole: new Set([...words, ...Object.keys(says)]),
    t2s: lex.t2s || {},
    pinyin: lex.pinyin || {},
    text: "\n" + [...words, ...Object.keys(says)].join("\n") + "\n",
    catalogue: "\n" + words.join("\n") + "\n", // the catalogue's words alone
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

// Whole words of the site with exactly one character different from ``piece``, or two
// neighbours swapped, most frequent first (宅基第 → 宅基地, 违章建竹 → 违章建筑). Only whole words: inside long
// names, all characters but one of a short stretch agree by chance too often.
// The site's whole words (names, keywords, phrases) of ``n`` characters.
function ofLength(lex, n) {
  if (!lex.byLength) {
    lex.byLength = new Map();
    for (const word of [...lex.words, ...lex.phrases]) {
      if (!lex.byLength.has(word.length)) lex.byLength.set(word.length, []);
      lex.byLength.get(word.length).push(word);
    }
  }
  return lex.byLength.get(n) || [];
}

function oneOff(lex, piece) {
  const n = piece.length;
  const found = new Map();
  for (const word of ofLength(lex, n)) {
    const at = [];
    for (let k = 0; k < n && at.length < 3; k++) if (word[k] !== piece[k]) at.push(k);
    // one character different, or two neighbours swapped (高龄贴补 → 高龄补贴)
    const swapped = at.length === 2 && at[1] === at[0] + 1
      && word[at[0]] === piece[at[1]] && word[at[1]] === piece[at[0]];
    if (at.length === 1 || swapped) found.set(word, (found.get(word) || 0) + 1);
  }
  return [...found.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
}

// The site's whole word (a name, keyword or phrase) that sounds like ``piece``: as many
// characters, each the same or sharing a reading (pinyin without tones), one at least
// different; the one with fewest different characters, a catalogue word first.
function homophone(lex, piece) {
  const n = piece.length;
  const sounds = [...piece].map((c) => new Set(lex.pinyin[c] || lex.others[c] || []));
  let best = null;
  let fewest = n;
  for (const word of ofLength(lex, n)) {
    if (word === piece) continue;
    let diff = 0;
    for (let k = 0; k < n && diff < fewest; k++) {
      if (word[k] === piece[k]) continue;
      if (!(lex.pinyin[word[k]] || []).some((r) => sounds[k].has(r))) { diff = n + 1; break; }
      diff++;
    }
    if (diff && diff < fewest) { best = word; fewest = diff; }
  }
  return best;
}

// Chinese pieces of the site's words that ``letters`` spells: full pinyin ("weijian",
// "canjiren") or initials ("wfjs"), at least two characters.
// With ``before`` or ``after`` (Chinese typed next to the letters: 宅基di, zhai基地), the
// pieces that the Chinese and the spelled characters make together, one spelled at least.
export function fromPinyin(letters, lex, before = "", after = "", pool = null) {
  const found = new Map();
  const readings = (c) => lex.pinyin[c] || [];
  const least = before || after ? 1 : 2;
  for (const word of pool || [...lex.phrases, ...lex.words]) {
    for (let start = before.length; start < word.length; start++) {
      if (!readings(word[start]).length) continue;
      if (before && word.slice(start - before.length, start) !== before) continue;
      for (const mode of ["full", "initial"]) {
        // [character index, letter index, every character read with its usual reading]
        const stack = [[start, 0, true]];
        while (stack.length) {
          const [i, j, usual] = stack.pop();
          if (j === letters.length) {
            if (i - start >= least && word.startsWith(after, i)) {
              const piece = before + word.slice(start, i) + after;
              // the usual readings, and a whole word of the site, spell it more surely
              // (wzjz: 违章建筑, not 有证据证 with the rare reading wei of 有)
              const score = (mode === "full" ? 3 : 1) * (usual ? 4 : 1) * (piece === word ? 2 : 1);
              found.set(piece, (found.get(piece) || 0) + score);
            }
            continue;
          }
          if (i >= word.length) continue;
          readings(word[i]).forEach((r, n) => {
            const step = mode === "full" ? [r] : /^[zcs]h/.test(r) ? [r[0], r.slice(0, 2)] : [r[0]];
            for (const s of step) if (letters.startsWith(s, j)) stack.push([i + 1, j + s.length, usual && n === 0]);
          });
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
// word of the site, or three characters or more of one, are joined (宅/基地 → 宅基地,
// 户口/簿 → 户口簿); a stretch the site does not know, with a
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
    if (!joined) {
      // or a part of a catalogue word, of three characters or more (户口/簿 in 居民户口簿)
      for (j = Math.min(segs.length, i + 4); j > i + 1; j--) {
        const word = segs.slice(i, j).join("");
        if (word.length >= 3 && !SHORT_STOP.has(segs[j - 1]) && lex.catalogue.includes(word)) {
          joined = word;
          break;
        }
      }
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
    const unknown = tries.filter((c) => stretch && !occurs(lex, c.text));
    // a word typed with the pinyin of the site's word but other characters (底保 → 低保),
    // then one wrong character of any sound (宅基第 → 宅基地)
    const fix = unknown.filter((c) => c.text.length >= 2)
      .map((c) => ({ ...c, near: homophone(lex, c.text) })).find((c) => c.near)
      || unknown.filter((c) => c.text.length >= 3)
        .map((c) => ({ ...c, near: oneOff(lex, c.text)[0] })).find((c) => c.near);
    if (fix) {
      for (let n = 0; n < fix.back; n++) out.pop();
      out.push({ text: fix.near, fixed: true });
      i = k + (fix.a ? 1 : 0);
      continue;
    }
    // a stretch the browser split across a word (房子/成危/房): the site's whole words in it
    const inside = stretch.length >= 3 ? wordsInside(stretch, lex) : [];
    if (inside.length) {
      for (const word of inside) out.push({ text: word });
      i = k;
      continue;
    }
    for (const seg of stretch ? segs.slice(i, k) : [segs[i]]) {
      if (!SHORT_STOP.has(seg) && occurs(lex, seg)) out.push({ text: seg, single: seg.length === 1 });
    }
    i = stretch ? k : i + 1;
  }
  return { out };
}

// The site's whole words (two characters or more) in ``text``, longest first from the left.
function wordsInside(text, lex) {
  const found = [];
  for (let at = 0; at < text.length - 1;) {
    let len = Math.min(8, text.length - at);
    while (len >= 2 && !lex.whole.has(text.slice(at, at + len))) len--;
    if (len >= 2) { found.push(text.slice(at, at + len)); at += len; } else at++;
  }
  return found;
}

// How closely ``text`` holds ``phrase`` when not word for word (0: not at all):
// * its characters in order with a few words between (老板一直不发工资 → 老板不发工资),
//   the phrase's share of the stretch that holds them;
// * most of its character pairs, two at least (油烟熏人 in 饭店油烟熏得受不了; a long phrase
//   with one character different: 半夜偷到垃圾 → 半夜偷倒垃圾).
export function nearness(text, phrase, pairs) {
  const n = phrase.length;
  let best = 0;
  for (let start = text.indexOf(phrase[0]); start >= 0; start = text.indexOf(phrase[0], start + 1)) {
    let at = start;
    for (let k = 1; k < n && at >= 0; k++) at = text.indexOf(phrase[k], at + 1);
    if (at < 0) break;
    const span = at - start + 1;
    if (span <= n + 4) best = Math.max(best, Math.min(0.9, n / span));
  }
  let shared = 0;
  for (let i = 0; i + 1 < n; i++) if (pairs.has(phrase.slice(i, i + 2))) shared++;
  const ratio = shared / (n - 1);
  if (shared >= 2 && ratio >= 0.5) best = Math.max(best, ratio);
  // of two phrases as near, the one that shares more of the query
  return best >= 0.5 ? best + 0.01 * shared : 0;
}

// The thesaurus's phrases the query comes close to (nearness above): the best two. Who,
// where and question words are no evidence, in the query or in the phrase (村里有人私自开矿
// is not 村里有人违建).
const withoutContext = (text) => {
  let out = text;
  for (const w of [...CONTEXT_WORDS, ...LONG_STOP]) out = out.split(w).join(" ");
  return out;
};
function closePhrases(query, lex) {
  const text = withoutContext(query);
  const pairs = new Set();
  for (let i = 0; i + 1 < text.length; i++) pairs.add(text.slice(i, i + 2));
  const scored = [];
  if (!lex.cores) lex.cores = new Map(lex.phrases.map((p) => [p, withoutContext(p).replace(/ /g, "")]));
  for (const phrase of lex.phrases) {
    const core = lex.cores.get(phrase);
    if (core.length < 3) continue;
    const ratio = nearness(text, core, pairs);
    if (ratio) scored.push([phrase, ratio]);
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
  // Chinese typed next to the letters, without a space (宅基di, zhai基地): spelled together.
  // At most MAX_SPELLED runs of letters beside Chinese, and MAX_SPELLED tries at plain
  // letters below: a query is a few words, and a long string of pinyin pieces
  // (宅基di宅基di…) must not cost the phone seconds.
  let mixed = 0;
  clean = clean.replace(/(\p{Script=Han}{0,4})([a-z]{2,})(\p{Script=Han}{0,4})/gu, (all, before, letters, after) => {
    if ((!before && !after) || ++mixed > MAX_SPELLED) return all;
    // only the site's words that hold the character next to the letters
    const pool = [...lex.phrases, ...lex.words].filter((w) =>
      (before && w.includes(before[before.length - 1])) || (after && w.includes(after[0])));
    for (let b = before.length; b >= 0; b--) {
      for (let a = after.length; a >= 0; a--) {
        if (!a && !b) continue;
        const spelled = fromPinyin(letters, lex, before.slice(before.length - b), after.slice(0, a), pool)[0];
        if (spelled) {
          notes.push(spelled);
          return before.slice(0, before.length - b) + " " + spelled + " " + after.slice(a);
        }
      }
    }
    return all;
  });
  let runs = 0;
  const spell = (letters) => {
    const joined = letters.replace(/ /g, "");
    const spelled = joined.length >= 2 && ++runs <= MAX_SPELLED ? fromPinyin(joined, lex) : [];
    if (!spelled.length) return null;
    notes.push(spelled[0]);
    return spelled[0];
  };
  // letters with spaces are one word's syllables (can ji ren) or, when together they spell
  // nothing, several words (zhaijidi dibao)
  clean = clean.replace(/[a-z]+(?: [a-z]+)*/g, (letters) => {
    // question words go (zenme, shenqing); the rest spelled together (can ji ren), else
    // word by word without the function syllables (wo xiang ban dibao)
    const parts = letters.split(" ").filter((w) => !lex.stopPinyin.has(w));
    if (!parts.length) return " ";
    // the longest run of syllables that spells a word, from the left (a word has at
    // most six); a function syllable that spells nothing goes
    const out = [];
    for (let i = 0; i < parts.length;) {
      let j = Math.min(parts.length, i + 6);
      let word = null;
      for (; j > i && !word; j--) word = spell(parts.slice(i, j).join(" "));
      if (word) { out.push(word); i = j + 1; continue; }
      if (!lex.stopSyllables.has(parts[i]) || parts.length === 1) out.push(parts[i]);
      i++;
    }
    return " " + out.join(" ") + " ";
  }).trim();
  // A name typed whole (an official citing an item) is searched as it is; a resident's
  // phrase typed whole (装修太吵) goes on to the thesaurus.
  let rest = clean.split(" ").map((run) => {
    if (run.length < 4 || !lex.whole.has(run) || Object.hasOwn(lex.says, run)) return run;
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
  // Phrases the query comes close to (with words between, or most of their pairs), in
  // what the whole names and phrases left over: a weaker hint beside a phrase found word
  // for word.
  // (a word of the site typed alone, 盖房子, is no near miss of a phrase that holds it)
  const left = rest.replace(/ /g, "");
  if (left.length >= 3 && !lex.whole.has(left)) {
    const factor = rest === clean ? 0.8 : 0.6;
    for (const [phrase, ratio] of closePhrases(rest, lex)) {
      for (const term of lex.says[phrase]) add(term, factor * ratio);
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
        const weight = piece.single ? 0.25 : piece.fixed ? 0.8
          : CONTEXT_WORDS.has(piece.text) ? 0.3 : Math.min(1, 0.4 + 0.15 * piece.text.length);
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
