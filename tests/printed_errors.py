"""The contradictions the published real reports (../shared/real-pdfs) print, each checked by
eye on the page rendered with pdftoppm: the only failed checks the originals may raise.
(file, family, check, page) → what the page shows."""

PRINTED_ERRORS = {
    ("juesuan2024_putuo_guihuaziyuanju_word.pdf", "cross_table", "same_line", 7):
        "总表 p7 卫生健康支出 236.63 and 城乡社区支出 3845.25; 支出决算表 p10-11 236.64 and "
        "3845.24 (1105.68 + 2739.56); the coded tables agree with each other",
    ("juesuan2024_putuo_guihuaziyuanju_word.pdf", "cross_table", "same_line", 12):
        "财政拨款收入支出决算总表 p12 卫生健康支出 236.63; "
        "一般公共预算财政拨款支出决算表 p14 236.64",
    ("juesuan2024_putuo_guihuaziyuanju_word.pdf", "text_table", "text_line", 21):
        "说明 p21 卫生健康支出（类）236.63万元; the coded tables print 236.64",
    ("yusuan2023_chongqing_xinandaxue_word2016.pdf", "table_sum", "code_sum", 8):
        "普通教育 520,603.91 over 小学 9,645.51 + 高中 27,109.72 + 高等 483,848.18 = 520,603.41",
    ("yusuan2023_chongqing_xinandaxue_word2016.pdf", "table_sum", "column_sum", 8):
        "小学教育 收入合计 9,645.51; its income columns add up to 9,646.01",
    ("jsbg2019_pingdingshan_wps.pdf", "text_table", "change_rate", 11):
        "因公出国（境）费 200万元 比上年增加21万元 增长11.5% (21 ÷ 179 = 11.7%); 公务用车购置及"
        "运行维护费 4567万元 比上年减少1128万元 下降18.4% (1128 ÷ 5695 = 19.8%)",
}  # fmt: skip


def failed_checks(name: str, checks: list[dict]) -> set[tuple]:
    """Return the (file, family, check, page) of a document's failed checks."""
    return {(name, c["family"], c["check"], c["page_no"]) for c in checks if not c["ok"]}


def printed_errors(name: str) -> set[tuple]:
    return {key for key in PRINTED_ERRORS if key[0] == name}
