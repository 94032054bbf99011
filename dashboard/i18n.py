"""Chinese by default, English on request: one table of words, one function."""

from __future__ import annotations

from functools import cache

import streamlit as st

from creditgraph.publication.field_words import FIELD_WORDS as COLUMN_WORDS
from creditgraph.publication.field_words import LABEL_WORDS, VALUE_WORDS
from creditgraph.queries.network import RELATION_WORDS

WORDS: dict[str, tuple[str, str]] = {
    "app": ("信用图谱", "CreditGraph"),
    "language": ("语言", "Language"),
    "as_of": ("查询日期", "As of"),
    "overview": ("总览", "Overview"),
    "search": ("主体查询", "Search"),
    "profile": ("信用档案", "Credit file"),
    "network": ("关系网络", "Network"),
    "linked": ("关联失信", "Linked dishonesty"),
    "sanctions": ("联合惩戒", "Sanctions"),
    "civil_servants": ("公务员诚信", "Civil servants"),
    "screening": ("采购审查", "Screening"),
    "quality": ("数据质量", "Data quality"),
    "export": ("证据导出", "Evidence export"),
    "lists": ("名单发布", "Published lists"),
    "credit_report": ("出具信用报告", "Credit report"),
    "penalties_past": ("公示期外或已信用修复的处罚 {count} 条（仅内部可见，不对外公示）",
                       "{count} penalties outside their publication window or repaired "
                       "(internal only, not public)"),
    "report_purpose": ("报告用途", "Purpose of the report"),
    "not_stated": ("未注明", "not stated"),
    "issue_report": ("出具", "Issue"),
    "report_issued": ("已出具报告 {number}，并记入审计日志。",
                      "Report {number} issued and recorded in the audit log."),
    "district_statistics": ("各区县信用统计（{since} 至 {until}）",
                            "Credit figures by district ({since} to {until})"),
    "district_statistics_help": ("名单与惩戒措施为查询日期有效者；处罚、许可、双公示与信用修复"
                                 "为本年 1 月 1 日至查询日期。creditgraph stats 给出同样的数字。",
                                 "Entries and measures in force on the chosen date; penalties, "
                                 "licenses, seven-day publication and repairs from 1 January "
                                 "of its year to that date. creditgraph stats gives the same "
                                 "figures."),
    "publish": ("发布", "Publish"),
    "lists_help": ("查询日期有效的名单条目，供对外公示：已信用修复、撤销或届满的条目不列入，"
                   "自然人证件号码脱敏。与 creditgraph publish lists 的文件相同。",
                   "The entries in force on the chosen date, for public release: repaired, "
                   "revoked and expired entries left out, persons' document numbers masked. "
                   "The same files as creditgraph publish lists."),
    "list_kind": ("名单", "List"),
    "black_list": ("失信黑名单", "Black list"),
    "red_list": ("守信红名单", "Red list"),
    "whole_city": ("全市", "Whole city"),
    "authority_code": ("认定部门代码（可选）", "Issuing department code (optional)"),
    "users": ("用户管理", "Users"),
    "admin": ("管理", "Admin"),
    "demo_mode": ("演示模式（CREDITGRAPH_DEMO=1）：没有用户，"
                  "任何人无需登录即以管理员身份访问全部页面。"
                  "仅用于演示数据；正式使用请先 creditgraph users add。",
                  "Demo mode (CREDITGRAPH_DEMO=1): no users, anyone sees every page as admin "
                  "without signing in. For demo data only; create users with "
                  "creditgraph users add."),
    "closed_no_users": ("已关闭：在 {path} 没有用户库；请用 `creditgraph users add` 创建用户"
                        "（演示数据可设置 CREDITGRAPH_DEMO=1）。",
                        "closed: no user store at {path}; create a user with "
                        "`creditgraph users add` (for demo data, set CREDITGRAPH_DEMO=1)."),
    "closed_broken": ("已关闭：用户库或访问设置无法读取：{error}",
                      "closed: the user store or an access setting cannot be read: {error}"),
    "audit_down": ("审计日志无法写入，操作未执行：{error}",
                   "The audit log cannot be written, so this was not done: {error}"),
    "session_expired": ("会话因长时间未操作已结束，请重新登录。",
                        "Your session ended after a time without activity; sign in again."),
    "login_too_long": ("用户名最多 {name} 个字符，密码最多 {password} 个字符。",
                       "User name at most {name} characters, password at most {password}."),
    "login_locked": ("登录失败次数过多，该用户名已锁定至 {until}。",
                     "Too many failed sign-ins: this name is locked until {until}."),
    "no_id_in_links": ("链接中不能含身份证号或其他证件号码；请在“主体查询”中输入。",
                       "A link may not carry a resident ID or other document number; enter it "
                       "on the Search page."),
    "id_found": ("已找到：图谱中有持此{doc}号码的人员（{masked}）。",
                 "Found: a person holding this {doc} number is in the graph ({masked})."),
    "id_rule": ("按证件号（身份证、护照、通行证等）查询只回答“有 / 无”；只有持有完整号码才能"
                "打开其档案。每次查询记入审计日志。",
                "A lookup by document number (resident ID, passport, permit…) answers only "
                "found / not found; the file opens only for the exact number. Every lookup is "
                "written to the audit log."),
    "doc_type": ("证件类型", "Document type"),
    "doc_type_auto": ("按号码形状识别", "Told by the number's shape"),
    "doc_type_hint": ("此号码按形状识别为{doc}；如为其他证件（如护照），请选择证件类型后再查。",
                      "The number was read as a {doc} by its shape; if it is another document "
                      "(a passport, say), choose the document type and search again."),
    "doc_type_needed": ("如输入的是证件号码而无法按形状识别，请选择证件类型。",
                        "If this is a document number whose shape does not tell its type, "
                        "choose the document type."),
    "id_budget_left": ("查看者角色：24 小时内还可按证件号查询 {left} 次（共 {limit} 次）。",
                       "Viewer role: {left} of {limit} ID-number lookups left in 24 hours."),
    "id_budget_spent": ("按证件号查询次数已用完：本次需 {n} 次，24 小时内还剩 {left} 次"
                        "（共 {limit} 次）；{until} 起恢复。此次拒绝已记入审计日志。",
                        "ID-number lookups used up: this needs {n}, {left} of {limit} left in "
                        "24 hours; more from {until}. The refusal is in the audit log."),
    "upload_limits": ("文件最大 {mib} MiB，最多 {rows} 行。", "At most {mib} MiB and {rows} rows."),
    "viewer_ids": ("查看者角色：按身份证号或其他证件号码的行只显示“在 / 不在图谱中”，"
                   "不显示姓名或结论；每次上传最多 {n} 个身份证号或其他证件号码；"
                   "每行记入审计日志。",
                   "Viewer role: rows keyed by a resident ID or other document number show "
                   "only whether the "
                   "person is in the graph — no name, no finding; at most {n} ID numbers per "
                   "upload; every row is written to the audit log."),
    "export_civil": ("公务员诚信结论（诚信记录、违规经商办企业、利益冲突）"
                     "仅对监管员及以上角色写入证据包。",
                     "Civil-servant findings (integrity records, for-profit findings, "
                     "conflicts of interest) go into the bag only for supervisors and above."),
    "set_role": ("修改角色", "Change role"),
    "user_name": ("用户名", "User name"),
    "password": ("密码", "Password"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出登录", "Sign out"),
    "login_failed": ("用户名或密码错误。", "Wrong user name or password."),
    "no_role": ("{name} 未被授予角色，请联系管理员。", "{name} has no role here; ask an admin."),
    "role": ("角色", "Role"),
    "add_user": ("添加用户", "Add user"),
    "remove_user": ("删除用户", "Remove user"),
    "oidc_missing": ("统一身份认证未配置：请在 .streamlit/secrets.toml 中添加 [auth]。",
                     "Sign-in through the identity provider is not configured: add [auth] to "
                     ".streamlit/secrets.toml."),
    "cases": ("案件", "Cases"),
    "case": ("案件编号", "Case"),
    "any": ("全部", "Any"),
    "cases_scope": ("范围", "Which cases"),
    "cases_mine": ("我的待办", "My open cases"),
    "cases_all": ("全部案件", "All cases"),
    "cases_unassigned": ("未指派", "Unassigned"),
    "status": ("状态", "Status"),
    "assignee": ("承办人", "Assignee"),
    "alerts": ("预警次数", "Alerts"),
    "evidence": ("证据", "Evidence"),
    "history": ("处理历史", "History"),
    "note": ("说明或批注", "Note or comment"),
    "saved": ("已保存，并记入审计日志。", "Saved, and recorded in the audit log."),
    "cases_assign": ("批量指派", "Assign"),
    "cases_set_status": ("变更状态", "Change status"),
    "cases_comment": ("添加批注", "Add comment"),
    "cases_open": ("待处理案件", "Open cases"),
    "cases_unassigned_count": ("未指派案件", "Unassigned cases"),
    "not_allowed": ("当前角色无权使用此页面。", "Your role may not use this page."),
    "case_no": ("案件编号", "Case number"),
    "export_note": ("导出 BagIt 证据包：report.html / report.pdf / evidence.json / evidence.xlsx / "
                    "network.graphml，附 SHA-256 清单；身份证号仅以脱敏形式出现；"
                    "每次导出记入审计日志。",
                    "Exports a BagIt bag: report.html / report.pdf / evidence.json / "
                    "evidence.xlsx / network.graphml with SHA-256 manifests; ID numbers appear "
                    "masked; every export is written to the audit log."),
    "export_build": ("生成证据包", "Build the bag"),
    "export_done": ("证据包已生成：{findings} 项结论，校验值 {digest}…",
                    "Bag built: {findings} findings, checksum {digest}…"),
    "investigate": ("调查", "Investigate"),
    "supervise": ("监管", "Supervise"),
    "data": ("数据", "Data"),
    "unavailable": ("数据库不可用", "database unavailable"),
    "empty_graph": ("图谱为空，请先导入数据。", "The graph is empty: load data first."),
    "nodes": ("节点", "Nodes"),
    "relationships": ("关系", "Relationships"),
    "by_district": ("各区县主体数", "Enterprises by district"),
    "entries_by_year": ("红黑名单条目（按列入年份）", "List entries by year listed"),
    "latest_entries": ("最新名单条目", "Latest list entries"),
    "top_linked": ("关联失信（最近的 10 个）", "Linked dishonesty (10 closest)"),
    "query": ("名称、统一社会信用代码、旧注册号 / 组织机构代码、境外主体编号或证件号码",
              "Name, USCC, legacy registration / organisation code, overseas entity id or "
              "document number"),
    "no_match": ("没有找到匹配的主体。", "No subject matches."),
    "open_file": ("打开信用档案", "Open credit file"),
    "open_network": ("查看关系网络", "Open network"),
    "choose_subject": ("请先在“主体查询”中选择一个主体。",
                       "Choose a subject on the Search page first."),
    "identity": ("基本信息", "Identity"),
    "entries": ("红黑名单", "List entries"),
    "penalties": ("行政处罚", "Penalties"),
    "licenses": ("行政许可", "Licenses"),
    "commitments": ("信用承诺", "Commitments"),
    "relations": ("直接关系", "Direct relations"),
    "measures": ("联合惩戒措施", "Joint-punishment measures"),
    "none": ("无", "none"),
    "rel_SERVES_IN": ("任职", "serves in"),
    "rel_PART_OF": ("隶属", "part of"),
    "rel_PENALIZED": ("处罚", "penalized"),
    "rel_LICENSED": ("许可", "licensed"),
    "rel_LISTED": ("列入名单", "listed"),
    "rel_COMMITTED": ("作出承诺", "committed"),
    "rel_RECORD_OF": ("档案记录", "record of"),
    "rel_ISSUED_BY": ("作出部门", "issued by"),
    "rel_PURCHASED_BY": ("采购人", "purchased by"),
    "rel_BID_ON": ("投标", "bid on"),
    "rel_AWARDED_TO": ("中标", "awarded to"),
    "rel_REPAIRS": ("修复", "repairs"),
    "rel_WATCHES": ("关注", "watches"),
    "rel_CONCERNS": ("所涉主体", "concerns"),
    "rel_EVENT_OF": ("案件事件", "event of"),
    "rel_ALERT_OF": ("预警所属案件", "alert of"),
    "rel_APPLIES_TO": ("约束", "applies to"),
    "rel_DERIVED_FROM": ("来源", "derived from"),
    "headline": ("{day} 的信用状况", "Credit at a glance on {day}"),
    "black_subjects": ("失信黑名单主体（有效）", "Black-listed subjects"),
    "red_subjects": ("守信红名单主体（有效）", "Red-listed subjects"),
    "on_time_help": ("{since} 至今应公示的处罚与许可中，七个工作日内公示的比例。",
                     "Of the penalties and licenses due since {since}, the share published "
                     "within seven working days."),
    "penalties_this_year": ("本年行政处罚", "Penalties this year"),
    "measures_by_measure": ("有效的联合惩戒措施（按措施）", "Measures in force, by measure"),
    "linked_count_title": ("关联失信（{hops} 跳以内）", "Linked dishonesty (within {hops} hops)"),
    "linked_count": ("与失信主体关联的主体", "Subjects linked to a black-listed party"),
    "scanning": ("正在扫描全图的关联失信…", "Scanning the whole graph for linked dishonesty…"),
    "graph_size": ("图谱规模：各类节点与关系", "What the graph holds: nodes and relations"),
    "count": ("数量", "Count"),
    "unresolved_short": ("仅有姓名，未识别", "named without a number, unresolved"),
    "ownership": ("股权穿透", "Ownership"),
    "country": ("国别 / 地区", "Country or region"),
    "name_zh": ("中文名称", "Chinese name"),
    "entity_id": ("境外主体编号", "Overseas entity id"),
    "registration_no": ("境外注册号", "Overseas registration number"),
    "id_type": ("证件类型", "Document type"),
    "id_masked": ("证件号码（脱敏）", "Document number (masked)"),
    "nationality": ("国籍", "Nationality"),
    "identification": ("识别状态", "Identification"),
    "identified": ("已识别（证件号码）", "identified (document number)"),
    "unresolved": ("未识别：仅有姓名，仅限于该企业的记录，不按姓名合并",
                   "unresolved: named without a number, scoped to this firm's records, never "
                   "merged by name"),
    "resolved": ("仅有姓名的记录，已由后续载明证件号码的记录识别；其关系不再单独计算",
                 "named without a number, since resolved by a row giving the number; its "
                 "relations no longer count on their own"),
    "scope": ("所属企业", "Scoped to firm"),
    "resolved_to": ("已识别为", "Resolved to"),
    "resolved_by": ("识别依据", "Resolved by"),
    "overseas_records": ("境外主体在图谱中没有红黑名单、行政处罚、行政许可或信用承诺记录。",
                         "An overseas entity has no list entries, penalties, licenses or "
                         "commitments in the graph."),
    "hops": ("跳数", "Hops"),
    "relation_types": ("关系类型", "Relation types"),
    "shown": ("已达上限：显示 {shown} 个节点（上限 {cap}），另有至少 {more} 个未显示"
              "（缩小跳数或关系类型）",
              "Capped: {shown} nodes shown (cap {cap}), at least {more} more not shown "
              "(fewer hops or relation types)"),
    "legend": (":red[●] 失信黑名单　:orange[●] 受联合惩戒　:green[●] 守信红名单　:gray[●] 其他　"
               ":blue[◎] 查询主体（蓝色粗框）　蓝色地球图标：境外主体（名称后附国别或地区）　"
               "连线：关系及持股比例",
               ":red[●] black-listed　:orange[●] sanctioned　:green[●] red-listed　"
               ":gray[●] other　:blue[◎] the subject asked about (thick blue ring)　"
               "blue globe: overseas entity (its country or region after the name)　"
               "lines: the relation and a shareholder's share"),
    "network_svg": ("下载此图（SVG）", "Download this view (SVG)"),
    "selected": ("选中", "Selected"),
    "paths": ("到失信主体的路径", "Paths to black-listed parties"),
    "district": ("区县", "District"),
    "list_type": ("名单类型", "List type"),
    "max_hops": ("最大跳数", "Max hops"),
    "measure": ("惩戒措施", "Measure"),
    "by_department": ("各实施部门的措施数", "Measures by department"),
    "restricted": ("受约束主体", "Restricted subjects"),
    "all": ("全部", "all"),
    "servant": ("公务员", "Civil servant"),
    "posts": ("任职", "Posts"),
    "records": ("诚信记录", "Records"),
    "for_profit": ("违规经商办企业", "For-profit findings"),
    "conflicts": ("利益冲突", "Conflicts of interest"),
    "promotion": ("晋升审查", "Promotion check"),
    "bidders": ("上传投标人名单（CSV / XLSX，一列代码）",
                "Upload the bidder list (CSV / XLSX, one column of codes)"),
    "eligible_count": ("{eligible} 家合格，{ineligible} 家不合格",
                       "{eligible} eligible, {ineligible} not eligible"),
    "audit": ("七天双公示审查", "Seven-day publication audit"),
    "late": ("逾期公示", "Late publications"),
    "loads": ("导入记录：拒绝与告警", "Loads: rejects and warnings"),
    "no_loads": ("还没有导入记录。", "No loads yet."),
    "download": ("下载", "Download"),
    "analyse": ("研判", "Analyse"),
    "paths_page": ("关系路径", "Paths"),
    "clusters": ("可疑关联", "Suspicious links"),
    "risk": ("网络风险", "Network risk"),
    "breaches": ("承诺违约", "Commitment breaches"),
    "red_black": ("红黑名单冲突", "Red/black conflicts"),
    "ownership_of_firms": ("股权穿透适用于企业和境外主体；自然人请看其关系网络。",
                           "Ownership is traced above enterprises and overseas entities; for a "
                           "person, see their network."),
    "threshold": ("受益所有人持股比例下限", "Beneficial-owner share threshold"),
    "no_owners": ("图谱中没有该主体的股东或实际控制人记录。",
                  "The graph records no shareholder or controller of this subject."),
    "ownership_summary": ("上方共 **{owners}** 个持股或控制主体，其中受益所有人 **{beneficial}** "
                          "个；**{unknown}** 个的部分持股链比例未记录（显示为“至少”）。",
                          "**{owners}** owners or controllers above, **{beneficial}** of them "
                          "beneficial owners; **{unknown}** hold through a chain with a share "
                          "not recorded (shown as “at least”)."),
    "chart_left_out": ("图中仅画出最近、持股最多的 40 个，另有 {n} 个见下表。",
                       "The chart draws the nearest, largest 40; {n} more are in the table."),
    "chart_svg": ("下载股权图（SVG）", "Download the chart (SVG)"),
    "beneficial_owners": ("受益所有人", "Beneficial owners"),
    "all_owners": ("全部持股与控制主体（累计持股比例）", "All owners and controllers "
                   "(cumulative shares)"),
    "path_from": ("起点：", "From:"),
    "path_to": ("终点：名称、统一社会信用代码、境外主体编号或证件号码",
                "To: a name, USCC, overseas entity id or document number"),
    "path_target": ("终点主体", "Second subject"),
    "max_length": ("最长关系数", "Longest path (relations)"),
    "one_path": ("只要一条", "One path only"),
    "path_help": ("起点为“主体查询”中选定的主体；输入终点后列出两者之间的全部最短路径。",
                  "The first subject is the one chosen on the search page; name the second to "
                  "see every shortest path between them."),
    "path_id_investigators": ("按证件号码查找终点仅限调查员（路径会显示此人）。请改用名称或在"
                              "“主体查询”中查找。",
                              "Finding the second subject by document number is for "
                              "investigators (the path names the person). Use a name, or the "
                              "search page."),
    "no_path": ("{n} 个关系以内没有路径。", "No path within {n} relations."),
    "paths_found": ("共 **{n}** 条最短路径，每条 **{length}** 个关系：",
                    "**{n}** shortest path(s) of **{length}** relation(s):"),
    "clusters_help": ("共用地址、电话或高管（法定代表人、董事、监事、高管）而彼此没有申报关联"
                      "的企业组，以及失信后新设的企业。",
                      "Groups of enterprises sharing an address, a telephone or an officer "
                      "with no declared relation among them, and firms founded after a "
                      "listing."),
    "min_size": ("最少企业数", "Smallest group"),
    "cluster_groups": ("可疑关联企业组", "Groups without a declared relation"),
    "phoenix": ("失信后新设企业", "Firms founded after a listing"),
    "phoenix_help": ("失信被执行人（或失信企业的法定代表人）在列入名单后新设的企业。",
                     "Firms founded by a black-listed person, or by the legal representative "
                     "of a black-listed firm, after the listing."),
    "risk_help": ("以黑名单主体为种子的个性化 PageRank：越靠近失信主体、关联越多，得分越高。"
                  "排名只提示关注方向，不构成认定。",
                  "Personalised PageRank seeded on black-listed subjects: the nearer and more "
                  "tied to them, the higher. A ranking shows where to look; it is no finding."),
    "top_n": ("前 N 名", "Top N"),
    "breaches_help": ("作出信用承诺后，又因承诺事项受到行政处罚的主体。",
                      "Subjects penalised on a matter they had made a credit commitment on."),
    "breach_count": ("违约记录", "Breaches"),
    "breach_subjects": ("涉及主体", "Subjects"),
    "conflicts_help": ("红名单主体本身在黑名单中，或在 N 个关系内有失信关联方：其激励措施应暂停。",
                       "Red-listed subjects black-listed themselves or linked to a black-listed "
                       "party within N hops: their incentives should be withheld."),
    "conflict_self": ("本身在黑名单中", "Black-listed themselves"),
    "conflict_linked": ("关联方在黑名单中", "Linked to a black-listed party"),
    "network_png": ("下载此图（PNG）", "Download this view (PNG)"),
    "png_needs_font": ("PNG 需要服务器安装中文字体（fonts-wqy-zenhei）", "PNG needs a Chinese "
                       "font on the server (fonts-wqy-zenhei)"),
    "propagate_first": ("尚无惩戒措施：请运行 creditgraph propagate。",
                        "No measures yet: run creditgraph propagate."),
}


WORDS.update({f"rel_{name}": words for name, words in RELATION_WORDS.items()})
WORDS.update({f"col_{name}": words for name, words in COLUMN_WORDS.items()})
WORDS.update({f"label_{name}": words for name, words in LABEL_WORDS.items()})


def column_name(column: object) -> str:
    """A table's column in the page's language (``col_<name>`` in the table of words); a
    column without one keeps its name (tests/dashboard: every page's headers are words)."""
    key = f"col_{column}"
    return t(key) if key in WORDS else str(column)


def value_name(column: object, value: object) -> object:
    """A coded cell (``punishment``, ``Person``, ``active``...) in the page's language
    (publication/field_words.py VALUE_WORDS), a measure by its name in that language; any
    other value as it is."""
    if column == "measure" and isinstance(value, str):
        return measure_name(value)
    words = VALUE_WORDS.get(str(column), {}).get(value) if isinstance(value, str) else None
    return value if words is None else words[1 if language() == "en" else 0]


@cache
def _measure_words() -> dict[str, str]:
    from creditgraph.propagation.rules import load_rules

    return load_rules().english


def measure_name(name: str) -> str:
    """A joint-punishment or incentive measure as the page's language names it (the rule
    file's ``english``; a measure it does not name stays in Chinese)."""
    return _measure_words().get(name, name) if language() == "en" else name


def relation_name(rel_type: str) -> str:
    """A relationship type in words (法定代表人 / legal representative)."""
    return t(f"rel_{rel_type}")


def label_name(label: str) -> str:
    """A subject's kind in words (企业 / 自然人 / 境外主体); an unknown label as it is."""
    return t(f"label_{label}") if f"label_{label}" in WORDS else label


def language() -> str:
    return st.session_state.get("lang", "zh")


def t(key: str, **values: object) -> str:
    zh, en = WORDS[key]
    text = en if language() == "en" else zh
    return text.format(**values) if values else text
