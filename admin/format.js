// The YAML format of the editing form.
//
// Decap's own YAML format writes a whole file anew from the form's data: comments (the
// `# yaml-language-server` line), flow lists (`keywords: [a, b]`), block text (`note: |`)
// and quoting are lost, and an edit of one field rewrites hundreds of lines. This format
// keeps the text of every file it reads and, on save, changes only the values that
// changed: the commit's diff is the edit, nothing else.
//
// Reading follows towncat's loader: every scalar is text as written, except plain whole
// numbers and true/false, which the number and boolean fields need.
import * as YAML from './yaml/index.js';

const intTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^(?:0|-?[1-9][0-9]{0,14})$/,  // no leading zeros: 0533… stays text
  identify: (value) => Number.isInteger(value),
  resolve: (text) => Number(text),
  stringify: (item) => String(item.value),
};
const boolTag = {
  tag: 'tag:yaml.org,2002:bool',
  default: true,
  test: /^(?:true|false)$/,
  identify: (value) => typeof value === 'boolean',
  resolve: (text) => text === 'true',
  stringify: (item) => (item.value ? 'true' : 'false'),
};
const PARSE = { schema: 'failsafe', customTags: (tags) => [...tags, intTag, boolTag] };
const WRITE = { lineWidth: 0, flowCollectionPadding: false };
const SCHEMA_LINE = (name) => `# yaml-language-server: $schema=../../../schemas/${name}.schema.json\n`;
const KEEP = 32;  // files remembered: the ones an editor opened recently

const originals = [];  // {text, data} of the files read, newest first

function parse(text) {
  const doc = YAML.parseDocument(text, PARSE);
  if (doc.errors.length > 0) {
    throw new Error('YAML 格式错误：\n' + doc.errors.map((e) => e.message).join('\n'));
  }
  return doc;
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// The form leaves empty strings, lists and objects behind for fields that were never
// filled; a content file has no such values, so they mean "absent".
function prune(value) {
  if (Array.isArray(value)) {
    return value.map(prune).filter((v) => v !== undefined);
  }
  if (isObject(value)) {
    const out = {};
    for (const [key, v] of Object.entries(value)) {
      const kept = prune(v);
      if (kept !== undefined) out[key] = kept;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (value === null || value === undefined || value === '') return undefined;
  return value;
}

// How many values differ between a and b: picks the file an edit started from.
function distance(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) {
    let d = Math.abs(a.length - b.length);
    for (let i = 0; i < Math.min(a.length, b.length); i++) d += distance(a[i], b[i]);
    return d;
  }
  if (isObject(a) && isObject(b)) {
    let d = 0;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      d += key in a && key in b ? distance(a[key], b[key]) : 1;
    }
    return d;
  }
  return a === b ? 0 : 1;
}

function same(a, b) {
  return distance(a, b) === 0;
}

function newNode(doc, value, like) {
  const node = doc.createNode(value);
  if (like && like.flow) node.flow = true;
  return node;
}

// Change doc (whose data is old) so that its data is neu, touching only what differs.
function apply(doc, path, old, neu) {
  if (same(old, neu)) return;
  if (isObject(old) && isObject(neu)) {
    for (const key of Object.keys(old)) {
      if (!(key in neu)) doc.deleteIn([...path, key]);
    }
    for (const [key, value] of Object.entries(neu)) {
      if (key in old) apply(doc, [...path, key], old[key], value);
      else doc.setIn([...path, key], doc.createNode(value));
    }
    return;
  }
  if (Array.isArray(old) && Array.isArray(neu)) {
    applyList(doc, path, old, neu);
    return;
  }
  const node = doc.getIn(path, true);
  if (YAML.isScalar(node) && !isObject(neu) && !Array.isArray(neu)) {
    node.value = neu;  // keeps the node's quoting or block style where the value allows
    return;
  }
  doc.setIn(path, newNode(doc, neu, node));
}

const idsOf = (list) =>
  list.every((x) => isObject(x) && typeof x.id === 'string') && new Set(list.map((x) => x.id)).size === list.length
    ? list.map((x) => x.id)
    : null;

// Items with ids are matched by id: removed items go, added ones are inserted where the
// form put them, edited ones are changed in place. Lists without ids are matched by
// position when their length is unchanged; anything else replaces the list.
function applyList(doc, path, old, neu) {
  const seq = doc.getIn(path, true);
  const oldIds = idsOf(old);
  const newIds = idsOf(neu);
  if (oldIds && newIds && YAML.isSeq(seq)) {
    const kept = oldIds.filter((id) => newIds.includes(id));
    if (kept.join('\n') === newIds.filter((id) => oldIds.includes(id)).join('\n')) {
      for (let i = old.length - 1; i >= 0; i--) {
        if (!newIds.includes(oldIds[i])) seq.items.splice(i, 1);
      }
      neu.forEach((item, i) => {
        const at = oldIds.indexOf(item.id);
        if (at >= 0) apply(doc, [...path, i], old[at], item);
        else seq.items.splice(i, 0, doc.createNode(item));
      });
      return;
    }
  } else if (old.length === neu.length && YAML.isSeq(seq)) {
    neu.forEach((item, i) => apply(doc, [...path, i], old[i], item));
    return;
  }
  doc.setIn(path, newNode(doc, neu, seq));
}

function schemaName(data) {
  for (const name of ['powers', 'duties', 'institutions']) {
    if (isObject(data) && name in data) return name;
  }
  return 'town';
}

export const yamlFormat = {
  fromFile(content) {
    const data = parse(content).toJS() ?? {};
    if (content.trim() !== '') {  // an empty file is a new one: written with its schema line
      originals.unshift({ text: content, data });
      originals.splice(KEEP);
    }
    return data;
  },

  toFile(data) {
    const neu = prune(data) ?? {};
    let base = null;
    for (const original of originals) {
      if (base === null || distance(original.data, neu) < distance(base.data, neu)) base = original;
    }
    if (base === null) {  // a new file: written in the usual layout, with its schema line
      return SCHEMA_LINE(schemaName(neu)) + new YAML.Document(neu, PARSE).toString(WRITE);
    }
    const doc = parse(base.text);
    apply(doc, [], base.data, neu);
    const text = doc.toString(WRITE);
    originals.unshift({ text, data: parse(text).toJS() ?? {} });
    originals.splice(KEEP);
    return text;
  },
};
