"""The platform's baseline quality rules, stored as data by ``install_standards``."""


def default_rules() -> list[dict]:
    """The platform's baseline rules (stored as data; operators tune thresholds and severity)."""
    r = []

    def add(code, name, element, kind, category="", severity="error", params=None, warn=99, err=95):
        r.append(
            {
                "code": code,
                "name": name,
                "element": element,
                "kind": kind,
                "category": category,
                "severity": severity,
                "params": params or {},
                "warn_below": warn,
                "error_below": err,
            }
        )

    add("uscc-present", "统一社会信用代码必填", "uscc", "completeness")
    add("uscc-check", "统一社会信用代码校验位", "uscc", "uscc")
    add("reg-name-present", "企业名称必填", "ent_name", "completeness", "registration")
    add(
        "reg-status-code",
        "登记状态属于代码集",
        "reg_status",
        "code_set",
        "registration",
        params={"code_set": "REG_STATUS"},
    )
    add(
        "reg-division-code",
        "行政区划属于GB/T 2260",
        "division",
        "code_set",
        "registration",
        params={"code_set": "GBT2260"},
    )
    add(
        "reg-industry-code",
        "行业门类属于GB/T 4754",
        "industry",
        "code_set",
        "registration",
        params={"code_set": "GBT4754_SECTION"},
    )
    add(
        "reg-capital-range",
        "注册资本在合理范围",
        "reg_capital",
        "range",
        "registration",
        params={"min": 0, "max": 10_000_000},
    )
    add("reg-rep-id-check", "法定代表人身份证号校验位", "legal_rep_id", "id_number", "registration", "warn")
    add(
        "reg-mobile-format",
        "手机号格式",
        "legal_rep_mobile",
        "format",
        "registration",
        "warn",
        {"pattern": r"^1[3-9]\d{9}$"},
    )
    add(
        "reg-established-past",
        "成立日期不晚于今天",
        "established_on",
        "consistency",
        "registration",
        params={"op": "<=", "right": "today", "type": "date"},
    )
    add(
        "reg-uscc-unique",
        "同一批次企业不重复",
        "uscc",
        "uniqueness",
        "registration",
        "warn",
        {"columns": ["uscc"]},
    )
    add(
        "tax-grade-code",
        "纳税信用等级属于A/B/M/C/D",
        "tax_grade",
        "code_set",
        "tax",
        params={"code_set": "TAX_GRADE"},
    )
    add("tax-paid-range", "实缴税额非负", "tax_paid", "range", "tax", params={"min": 0})
    add(
        "tax-period-timely",
        "所属期在两年内",
        "period",
        "timeliness",
        "tax",
        "warn",
        {"type": "period", "max_age_days": 730},
    )
    add(
        "si-count-range",
        "参保人数非负",
        "insured_count",
        "range",
        "social_insurance",
        params={"min": 0, "max": 500000},
    )
    add(
        "judicial-kind-code",
        "司法信息类型属于代码集",
        "judicial_kind",
        "code_set",
        "judicial",
        params={"code_set": "JUDICIAL_KIND"},
    )
    add(
        "judicial-closed-after-filed",
        "结案日期不早于立案日期",
        "closed_on",
        "consistency",
        "judicial",
        params={"op": ">=", "right": "$filed_on", "type": "date"},
    )
    add(
        "utility-type-code",
        "能源类型属于代码集",
        "utility_type",
        "code_set",
        "utilities",
        params={"code_set": "UTILITY_TYPE"},
    )
    add(
        "watchlist-kind-code",
        "名单类型属于代码集",
        "list_kind",
        "code_set",
        "watchlist",
        params={"code_set": "LIST_KIND"},
    )
    return r
