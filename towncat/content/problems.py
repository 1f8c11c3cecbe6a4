"""Problems found in content: what, where, and a hint in Chinese for editors.

Every problem has a stable code listed in ``CODES``; the README's table of codes
is generated from it and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    name: str
    severity: Severity
    summary: str  # Chinese, one line: what the code means, for the README


def _codes(*rows: tuple[str, Severity, str]) -> dict[str, Code]:
    return {name: Code(name, sev, summary) for name, sev, summary in rows}


E, W = Severity.ERROR, Severity.WARNING

CODES: dict[str, Code] = _codes(
    # -- reading the file
    ("not-utf8", E, "文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8"),
    ("file-too-large", E, "文件过大，超过单个文件的大小上限"),
    ("empty-file", E, "文件为空或只有注释"),
    ("control-character", E, "含有不可见的控制字符（如 NUL）"),
    ("bidi-character", E, "含有双向文字控制字符，可能让文字显示与实际内容不一致"),
    ("line-separator", E, "含有 Unicode 行/段分隔符（U+2028/U+2029）"),
    ("tab-indent", E, "缩进中使用了 Tab，YAML 只允许空格缩进"),
    ("yaml-syntax", E, "YAML 语法错误"),
    ("fullwidth-colon", E, "键名后用了全角冒号“：”，应为英文冒号加空格“: ”"),
    ("fullwidth-comma", E, "方括号列表中用了全角逗号“，”，应为英文逗号“,”"),
    ("missing-space", E, "“-”或“:”后面缺少空格"),
    ("needs-quotes", E, "以 @ 或 ` 开头的值必须加引号"),
    ("symlink", E, "内容目录中的符号链接指向目录之外，或不是普通文件"),
    ("multiple-documents", E, "一个文件中有多个 YAML 文档（---），每个文件只能有一个"),
    ("anchor-alias", E, "使用了锚点或别名（& / *），为避免隐式复制，本项目不允许"),
    ("tag", E, "使用了 YAML 标签（! 或 !!），本项目不允许"),
    ("duplicate-key", E, "同一层级中键名重复"),
    ("bad-key", E, "键名必须是普通文字"),
    ("too-deep", E, "嵌套层级过深"),
    # -- the schema
    ("unknown-key", E, "未知的字段名（可能是拼写错误）"),
    ("missing-field", E, "缺少必填字段"),
    ("wrong-type", E, "值的类型不对（例如应为文字却写成了列表）"),
    ("not-in-enum", E, "值不在允许的取值范围内"),
    ("invalid-date", E, "日期无效，应为 YYYY-MM-DD 格式的真实日期"),
    ("invalid-id", E, "编号（id）格式不对：只能用小写英文字母、数字和连字符"),
    ("reserved-id", E, "编号（id）是保留字，不能使用"),
    ("invalid-url", E, "网址无效：只允许 http、https、mailto、tel 开头"),
    ("invalid-phone", E, "电话号码格式不对"),
    ("invalid-nbs-code", E, "统计用区划代码无效：应为 12 位数字"),
    ("bad-format", E, "值的格式不对"),
    ("empty-value", E, "值不能为空"),
    ("too-long", E, "文字过长"),
    ("empty-list", E, "列表不能为空"),
    ("duplicate-value", E, "列表中有重复的值"),
    ("out-of-range", E, "数值超出允许范围"),
    # -- across files
    ("invalid-slug", E, "镇街文件夹名格式不对：只能用小写英文字母、数字和连字符"),
    ("reserved-slug", E, "镇街文件夹名是保留字，不能使用"),
    ("missing-town-file", E, "镇街文件夹中缺少 town.yaml"),
    ("unknown-file", E, "镇街文件夹中有不认识的文件"),
    ("duplicate-id", E, "同一镇街同一清单中编号（id）重复"),
    ("duplicate-town-code", E, "两个镇街使用了同一个区划代码"),
    ("unknown-county", E, "区县不在 content/region.yaml 的区县列表中"),
    ("code-county-mismatch", E, "区划代码前 6 位与所属区县的代码不一致"),
    (
        "code-kind-mismatch",
        E,
        "区划代码第 7–9 位与镇/街道类型不一致（001–099 为街道，100–199 为镇）",
    ),
    ("unknown-office", E, "引用的承办机构编号在本镇 institutions.yaml 中不存在"),
    ("unknown-town", E, "引用的镇街不存在"),
    ("date-order", E, "结束日期早于开始日期"),
    ("unknown-item", E, "替代事项（replaced_by）的编号在本清单中不存在"),
    # -- service guides
    ("insecure-url", E, "网上办理地址必须是 https:// 开头的完整网址"),
    ("step-order", E, "办理环节的序号不是从 1 起依次加 1"),
    ("online-without-link", E, "写明全程网办（到现场 0 次或只能网上办理），却没有网上办理地址"),
    ("form-outside-town", E, "表格文件不在本镇街文件夹的 forms/ 中（路径越出或链接指向外部）"),
    ("form-missing", E, "表格文件不存在"),
    ("form-too-large", E, "表格文件过大，超过单个表格文件的大小上限"),
    ("form-wrong-type", E, "表格文件不是 PDF、DOCX 或 XLSX，或内容与扩展名不符"),
    ("wrong-schema-line", E, "文件开头的 yaml-language-server $schema 注释指向了错误的模式文件"),
    (
        "missing-schema-line",
        W,
        "文件开头缺少 yaml-language-server $schema 注释，编辑器将无法自动补全",
    ),
    ("missing-sources", W, "非示例数据的清单没有注明来源（sources）"),
    ("no-contact", W, "事项的承办机构没有电话，群众无法联系"),
    ("sample-without-note", W, "示例镇街缺少示例说明（sample_note）"),
    # -- the thesaurus
    ("thesaurus-cycle", E, "群众说法同时又是清单用语，说法之间形成链条或循环"),
    ("thesaurus-no-match", W, "清单用语不在任何事项的名称或关键词中，这条说法搜不到事项"),
    # -- the public record (git)
    ("bad-revision", E, ".towncat-ignore-revs 中的一行不是提交号（7–40 位十六进制）"),
    ("unknown-revision", E, "引用的提交或标签在 git 仓库中不存在"),
    ("edition-source", E, "版本必须写“提交”或“标签”中的一个，且与同名的 git 标签一致"),
    (
        "note-not-trailer",
        W,
        "提交说明里像是公开变更说明，但没有写成 Change-Note: 结尾行，网站不会显示它",
    ),
)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at one place. ``line`` and ``column`` are 1-based; 0 means unknown."""

    file: str
    line: int
    column: int
    code: str
    path: str  # key path such as ``powers[3].basis``; "" for the whole file
    message: str  # Chinese, for editors

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown problem code {self.code!r}")

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity


def format_problem(problem: Problem, *, strict: bool = False) -> str:
    """``file:line:col: error: key.path: message [code]``, as editors and CI annotators parse."""
    severity = Severity.ERROR if strict else problem.severity
    where = problem.file
    if problem.line:
        where += f":{problem.line}:{problem.column or 1}"
    path = f"{problem.path}: " if problem.path else ""
    return f"{where}: {severity.value}: {path}{problem.message} [{problem.code}]"


def count_by_severity(problems: list[Problem], *, strict: bool = False) -> tuple[int, int]:
    """(errors, warnings); under ``strict`` every warning counts as an error."""
    errors = sum(1 for p in problems if strict or p.severity is Severity.ERROR)
    return errors, len(problems) - errors


def format_path(path: tuple[str | int, ...]) -> str:
    """``("powers", 3, "basis")`` → ``powers[3].basis``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
