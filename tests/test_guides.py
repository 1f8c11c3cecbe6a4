"""Service guides (办事指南): every field reaches the page, the JSON and the CSV; forms are
checked by content and published; the effective_to rule; JSON-LD parsed from the page."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from pdfmini import make_pdf
from sitefixture import copy_fixture
from towncat_conftest import parse_output, run_check

from towncat.cli import main
from towncat.content.forms import MAX_FORM_BYTES
from towncat.content.validity import first_day_out, in_force_on

ITEM = "towns/alpha/powers/xk-0002/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_fixture(tmp_path_factory.mktemp("guide"))
    assert main(["--root", str(root), "build", "--no-search"], out=io.StringIO()) == 0
    return root / "site"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode()), "Excel needs the BOM"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


# Each guide field of the fixture, with a value that appears nowhere else.
GUIDE_VALUES = {
    "conditions": "本镇农村集体经济组织成员",
    "materials.name": "乡村建设规划许可申请表",
    "materials.source": "公安机关核发",
    "materials.note": "须本人签字",
    "steps.action": "现场踏勘",
    "steps.actor": "规划建设办公室",
    "location": "甲镇便民服务中心3号窗口（示例）",
    "hours": "工作日 9:00—17:00（示例）",
    "consult": "窗口咨询（示例）",
    "result_name": "乡村建设规划许可证",
    "faq.question": "可以委托家人办理吗？",
    "online_url": "https://www.shandong.gov.cn/",
}


def test_every_guide_field_reaches_the_page(site: Path) -> None:
    html = (site / ITEM / "index.html").read_text(encoding="utf-8")
    text = _text(html)
    for field, value in GUIDE_VALUES.items():
        assert value in html, field
    for shown in (
        "承诺10个工作日，法定20个工作日",
        "最多 1 次",
        "窗口办理、网上办理",
        "窗口领取、邮寄送达",
        "原件和复印件 · 2 份 · 纸质",
        "法定机关",
        "乡（镇、街道）级",
        "个体工商户",
        "（2019-04-23版）",
    ):
        assert shown in text, shown
    # 办理须知 comes before everything else of the item, the office box included
    assert html.index("办理须知") < html.index("office-box") < html.index("申请材料</h2>")
    assert html.index("受理条件") < html.index("办理流程") < html.index("常见问题")
    assert "<details><summary>可以委托家人办理吗？</summary>" in html
    assert "<strong>委托书</strong>" in html  # the answer is Markdown


def test_forms_are_published_and_linked_with_type_and_size(site: Path) -> None:
    html = (site / ITEM / "index.html").read_text(encoding="utf-8")
    source = Path(__file__).parent / "fixtures/small-site/content/towns/alpha/forms/申请表.pdf"
    assert (site / "towns/alpha/forms/申请表.pdf").read_bytes() == source.read_bytes()
    link = re.search(r'<a href="([^"]+申请表\.pdf)" download type="application/pdf">', html)
    assert link and link[1] == "../../../../towns/alpha/forms/申请表.pdf"
    assert "（PDF，1 KB）" in html


def test_replacement_and_discretion_reach_the_page(site: Path) -> None:
    old = (site / "towns/alpha/powers/xk-0001/index.html").read_text(encoding="utf-8")
    assert (
        '本事项已由<a href="../../../../towns/alpha/powers/xk-0002/">乡村建设规划许可证核发</a>替代'
        in old
    )
    penalty = (site / "towns/alpha/powers/cf-0001/index.html").read_text(encoding="utf-8")
    assert "裁量基准" in penalty and "占用面积不足10平方米（示例）" in penalty
    assert 'href="https://example.test/discretion"' in penalty


def test_effective_to_is_the_last_day_in_force(site: Path) -> None:
    """xk-0001 has effective_to 2024-06-30: in force that day, gone from 2024-07-01."""
    html = (site / "towns/alpha/powers/xk-0001/index.html").read_text(encoding="utf-8")
    assert "自 2024-07-01 起已收回" in html
    assert in_force_on("2021-07-01", "2024-06-30", "2024-06-30")
    assert not in_force_on("2021-07-01", "2024-06-30", "2024-07-01")
    assert not in_force_on("2021-07-01", None, "2021-06-30")
    assert in_force_on(None, None, "1999-01-01")
    assert (
        first_day_out("2024-02-28") == "2024-02-29" and first_day_out("2023-12-31") == "2024-01-01"
    )


def test_every_guide_field_reaches_the_json(site: Path) -> None:
    data = json.loads((site / "data/towns/alpha/catalogue.json").read_text(encoding="utf-8"))
    power = next(p for p in data["powers"]["items"] if p["id"] == "xk-0002")
    guide = power["guide"]
    assert guide["visits"] == 1 and guide["online_url"] == GUIDE_VALUES["online_url"]
    assert guide["materials"][1] == {
        "name": "居民户口簿",
        "necessity": None,
        "form": "原件和复印件",
        "copies": 2,
        "medium": "纸质",
        "source": "公安机关核发",
        "blank_form": None,
        "sample_form": None,
        "note": None,
    }
    assert [s["order"] for s in guide["steps"]] == [1, 2, 3]
    assert guide["faq"][0]["question"] == GUIDE_VALUES["faq.question"]
    assert (power["body_nature"], power["level"]) == ("法定机关", "乡（镇、街道）级")
    assert power["basis"][0]["revised"] == "2019-04-23"
    old = next(p for p in data["powers"]["items"] if p["id"] == "xk-0001")
    assert old["replaced_by"] == "xk-0002"


def test_every_guide_field_reaches_the_csv(site: Path) -> None:
    rows = {r["编号"]: r for r in _csv(site / "data/towns/alpha/powers.csv")}
    row = rows["xk-0002"]
    assert row["承办机构编号"] == "service-center" and row["承办机构"] == "便民服务中心"
    assert row["办事指南（到现场次数）"] == "1"
    assert row["办事指南（网上办理地址）"] == GUIDE_VALUES["online_url"]
    assert row["办事指南（办理结果）"] == GUIDE_VALUES["result_name"]
    assert row["办事指南（办理地点）"] == GUIDE_VALUES["location"]
    assert row["服务对象"] == "自然人；个体工商户"
    assert row["实施主体性质"] == "法定机关" and row["替代事项"] == ""
    assert rows["xk-0001"]["替代事项"] == "xk-0002"
    assert "占用面积不足10平方米（示例）" in rows["cf-0001"]["裁量基准（裁量档次）"]
    materials = _csv(site / "data/towns/alpha/materials.csv")
    assert [(m["事项编号"], m["序号"], m["材料名称"], m["份数"]) for m in materials] == [
        ("xk-0002", "1", "乡村建设规划许可申请表", "1"),
        ("xk-0002", "2", "居民户口簿", "2"),
    ]
    assert materials[0]["空白表格"] == "https://example.test/cat/towns/alpha/forms/申请表.pdf"
    assert materials[0]["承办机构"] == "便民服务中心"
    city = _csv(site / "data/materials.csv")
    assert city == materials


def test_csv_headers_are_chinese_everywhere(site: Path) -> None:
    for path in sorted((site / "data").rglob("*.csv")):
        header = path.read_bytes().decode("utf-8-sig").split("\r\n", 1)[0]
        for name in header.split(","):
            assert re.search(r"[\u4e00-\u9fff]", name), f"{path.name}: {name}"


def test_json_ld_carries_output_hours_and_the_online_channel(site: Path) -> None:
    html = (site / ITEM / "index.html").read_text(encoding="utf-8")
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert raw
    data = json.loads(raw[1])
    assert data["@type"] == "GovernmentService"
    assert data["serviceOutput"] == {"@type": "Thing", "name": "乡村建设规划许可证"}
    assert data["hoursAvailable"]["description"] == GUIDE_VALUES["hours"]
    channels = data["availableChannel"]
    online = [c for c in channels if "serviceUrl" in c]
    assert online == [
        {"@type": "ServiceChannel", "name": "网上办理", "serviceUrl": GUIDE_VALUES["online_url"]}
    ]
    assert data["audience"]["audienceType"] == "自然人、个体工商户"


def test_materials_and_result_are_a_search_field(site: Path) -> None:
    html = (site / ITEM / "index.html").read_text(encoding="utf-8")
    meta = re.search(
        r'<meta name="pagefind-materials" data-pagefind-meta="材料\[content\]" '
        r'content="([^"]*)">',
        html,
    )
    assert meta and meta[1] == "乡村建设规划许可申请表 居民户口簿 乡村建设规划许可证"
    other = (site / "towns/alpha/powers/cf-0001/index.html").read_text(encoding="utf-8")
    assert "pagefind-materials" not in other


def test_checklist_page_lists_the_materials(site: Path) -> None:
    html = (site / ITEM / "materials/index.html").read_text(encoding="utf-8")
    assert "请带齐以下材料（共 2 项）" in html
    assert "居民户口簿" in html and "甲镇便民服务中心3号窗口（示例）" in html
    assert "data-pagefind-body" not in html  # not a search record of its own


# -- Form files: checked by content, kept inside the town folder.

POWER_WITH_FORM = """\
# yaml-language-server: $schema=../../../schemas/powers.schema.json
sources:
  - title: 关于印发马桥镇放权目录的通知
powers:
  - id: xk-0001
    name: 乡村建设规划许可证核发
    type: 行政许可
    basis:
      - law: 《中华人民共和国城乡规划法》
    handling_office: enforcement
    guide:
      materials:
        - name: 申请表
          blank_form: {path}
"""


def _docx(member: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("申请表.pdf", make_pdf("申请表", ["姓名："])),
        ("申请表.docx", _docx("word/document.xml")),
        ("申请表.xlsx", _docx("xl/workbook.xml")),
    ],
)
def test_real_forms_pass(project, name: str, data: bytes) -> None:
    root = project(
        {
            "towns/alpha/powers.yaml": POWER_WITH_FORM.format(path=f"forms/{name}"),
            f"towns/alpha/forms/{name}": data,
        }
    )
    code, output = run_check(root)
    assert code == 0, output


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("申请表.docx", _docx("xl/workbook.xml")),  # a workbook named .docx
        ("申请表.xlsx", b"PK\x03\x04not really a zip"),
        ("申请表.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("申请表.doc", make_pdf("x", [])),  # an extension that is not accepted
    ],
)
def test_forms_that_are_not_what_they_say_are_refused(project, name: str, data: bytes) -> None:
    root = project(
        {
            "towns/alpha/powers.yaml": POWER_WITH_FORM.format(path=f"forms/{name}"),
            f"towns/alpha/forms/{name}": data,
        }
    )
    code, output = run_check(root)
    (problem,) = parse_output(output)
    assert (problem.code, problem.line, problem.column) == ("form-wrong-type", 14, 23)
    assert code == 1


def test_a_form_linking_out_of_the_town_folder_is_refused(project, tmp_path: Path) -> None:
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(make_pdf("x", []))
    root = project({"towns/alpha/powers.yaml": POWER_WITH_FORM.format(path="forms/申请表.pdf")})
    (root / "content/towns/alpha/forms").mkdir()
    (root / "content/towns/alpha/forms/申请表.pdf").symlink_to(secret)
    code, output = run_check(root)
    (problem,) = parse_output(output)
    assert (problem.code, problem.line) == ("form-outside-town", 14)
    assert code == 1


@pytest.mark.parametrize(
    "path", ["/etc/passwd.pdf", "forms/../../beta/x.pdf", "申请表.pdf", "forms\\\\申请表.pdf"]
)
def test_form_paths_outside_forms_are_refused(project, path: str) -> None:
    root = project({"towns/alpha/powers.yaml": POWER_WITH_FORM.format(path=f'"{path}"')})
    code, output = run_check(root)
    assert [p.code for p in parse_output(output)] == ["form-outside-town"], output
    assert code == 1


def test_a_bad_form_builds_nothing(project) -> None:
    big = b"%PDF-1.4\n" + b"0" * MAX_FORM_BYTES
    repo = Path(__file__).resolve().parent.parent
    config = f'template_dir = "{repo / "templates"}"\nstatic_dir = "{repo / "static"}"\n'
    root = project(
        {
            "towns/alpha/powers.yaml": POWER_WITH_FORM.format(path="forms/大.pdf"),
            "towns/alpha/forms/大.pdf": big,
        },
        config=config,
    )
    out = io.StringIO()
    assert main(["--root", str(root), "build", "--no-search"], out=out) == 1
    assert "[form-too-large]" in out.getvalue()
    assert not (root / "site").exists()


# -- Comparing one matter's guide across towns.


def _summary(slug: str, name: str, *matters: object) -> object:
    from towncat.content.summary import TownSummary

    return TownSummary(
        slug,
        "370321105000",
        name,
        "镇",
        "桓台县",
        True,
        len(matters),
        None,
        None,
        (),
        (),
        (),
        (),
        tuple(matters),
    )  # type: ignore[arg-type]


def test_guides_of_one_matter_are_compared_with_differences_marked() -> None:
    from towncat.content.model import Region
    from towncat.content.summary import Matter, Overview
    from towncat.site.overview import guide_comparisons, matter_anchor

    key = "name:乡村建设规划许可证核发"
    a = Matter(
        key,
        "乡村建设规划许可证核发",
        "行政许可",
        None,
        "现行",
        "xk-0006",
        "20个工作日",
        "10个工作日",
        "不收费",
        6,
        2,
        False,
    )
    b = Matter(
        key,
        "乡村建设规划许可证核发",
        "行政许可",
        None,
        "现行",
        "xk-0007",
        "20个工作日",
        "5个工作日",
        "不收费",
        4,
        2,
        True,
    )
    lone = Matter(
        "name:只在一镇",
        "只在一镇",
        "行政许可",
        None,
        "现行",
        "xk-0001",
        None,
        None,
        None,
        3,
        1,
        False,
    )
    no_guide = Matter(key, "乡村建设规划许可证核发", "行政许可", None, "现行", "xk-0001")
    overview = Overview(
        Region("淄博市", "370300", ()),
        (
            _summary("maqiao", "马桥镇", a, lone),
            _summary("jinshan", "金山镇", b),
            _summary("tangshan", "唐山镇", no_guide),
        ),
    )  # type: ignore[arg-type]
    (compared,) = guide_comparisons(overview)
    assert compared["anchor"] == matter_anchor(key)
    assert compared["differences"] == ["承诺时限", "申请材料（项）", "网上办理"]
    rows = {t["town"]: t["cells"] for t in compared["towns"]}
    assert set(rows) == {"马桥镇", "金山镇"}  # a town without the guide is not compared
    assert rows["马桥镇"] == [
        ("10个工作日", True),
        ("20个工作日", False),
        ("6", True),
        ("2", False),
        ("不可以", True),
        ("不收费", False),
    ]


def test_compare_page_shows_the_shipped_guides_side_by_side(tmp_path: Path) -> None:
    import shutil

    repo = Path(__file__).resolve().parent.parent
    root = tmp_path / "repo"
    for name in ("content", "schemas", "templates", "static"):
        shutil.copytree(repo / name, root / name)
    assert main(["--root", str(root), "build", "--no-search"], out=io.StringIO()) == 0
    html = (root / "site/compare/index.html").read_text(encoding="utf-8")
    section = html[html.index('id="guides-title"') :]
    assert "城镇污水排入排水管网许可" in section
    match = re.search(r"城镇污水排入排水管网许可</h3>\s*<p>不一致：([^。]+)。", section)
    assert match and match[1] == "承诺时限"
    assert '<td class="differs"><mark>' in section


def test_materials_and_results_become_words_search_knows() -> None:
    from towncat.content.model import Guide, Material, Power
    from towncat.content.summary import guide_words

    guide = Guide(
        materials=(
            Material("居民户口簿和居民身份证"),
            Material("申请人身份证明（自然人提交居民身份证）"),
            Material("林权证或者集体林地承包合同"),
        ),
        result_name="林木采伐许可证",
    )
    power = Power("xk-1", "林木采伐许可证核发", "行政许可", (), "office", guide=guide)
    assert guide_words(power) == {
        "居民户口簿",
        "居民身份证",
        "申请人身份证明",
        "林权证",
        "集体林地承包合同",
        "林木采伐许可证",
    }


def test_the_editor_guides_full_example_passes_check(project) -> None:
    """The example in docs/editor-guide.md §12 is a valid item, forms and all."""
    guide = (Path(__file__).resolve().parent.parent / "docs/editor-guide.md").read_text(
        encoding="utf-8"
    )
    section = guide[guide.index("## 12. 办事指南") :]
    example = re.search(r"```yaml\n(  - id: xk-0006\n.*?)```", section, re.DOTALL)
    assert example
    powers = (
        "# yaml-language-server: $schema=../../../schemas/powers.schema.json\n"
        "sources:\n  - title: 示例\npowers:\n"
        + example[1].replace("handling_office: service-center", "handling_office: enforcement")
    )
    forms = re.findall(r"(forms/[^\s]+\.pdf)", example[1])
    assert len(forms) == 2
    root = project(
        {
            "towns/alpha/powers.yaml": powers,
            **{f"towns/alpha/{f}": make_pdf("表", []) for f in forms},
        }
    )
    code, output = run_check(root)
    assert code == 0, output


def test_a_duty_guide_reaches_its_page_checklist_json_and_materials_csv(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    duties = root / "content/towns/alpha/duties.yaml"
    text = duties.read_text(encoding="utf-8")
    duties.write_text(
        text.replace(
            "    lead_office: enforcement\n",
            """    lead_office: enforcement
    guide:
      materials:
        - name: 施工安全隐患报告单
          copies: 2
      steps:
        - order: 1
          name: 报告
          actor: 村（居）网格员
      result_name: 隐患整改通知
""",
            1,
        ),
        encoding="utf-8",
    )
    assert "隐患报告单" in duties.read_text(encoding="utf-8")
    assert main(["--root", str(root), "build", "--no-search"], out=io.StringIO()) == 0
    site = root / "site"
    html = (site / "towns/alpha/duties/zt-0001/index.html").read_text(encoding="utf-8")
    assert "办理须知" in html and "施工安全隐患报告单" in html and "村（居）网格员" in html
    assert "隐患整改通知" in html
    assert "施工安全隐患报告单" in (
        site / "towns/alpha/duties/zt-0001/materials/index.html"
    ).read_text(encoding="utf-8")
    data = json.loads((site / "data/towns/alpha/catalogue.json").read_text(encoding="utf-8"))
    assert data["duties"]["items"][0]["guide"]["materials"][0]["copies"] == 2
    rows = _csv(site / "data/towns/alpha/materials.csv")
    duty_rows = [r for r in rows if r["清单"] == "职责任务清单"]
    assert [(r["事项编号"], r["材料名称"], r["承办机构"]) for r in duty_rows] == [
        ("zt-0001", "施工安全隐患报告单", "综合执法办公室")
    ]
