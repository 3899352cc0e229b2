"""The default authorisation scopes (codes match institutions' DataScope) and consent text v1."""

# code, name, datahub categories, months back (0 = unlimited), sensitivity
SCOPES = (
    ("registration", "工商登记信息", ["registration"], 0, 2),
    ("tax", "纳税信息", ["tax"], 24, 3),
    ("social_insurance", "社会保险信息", ["social_insurance"], 24, 3),
    ("housing_fund", "住房公积金信息", ["housing_fund"], 24, 3),
    ("utilities", "水电气信息", ["utilities"], 24, 2),
    ("real_estate", "不动产信息", ["real_estate"], 0, 3),
    ("ip", "知识产权信息", ["ip"], 0, 1),
    ("import_export", "进出口信息", ["trade"], 24, 2),
    ("judicial", "司法信息", ["judicial"], 60, 2),
    ("licences_penalties", "行政许可与处罚信息", ["licence", "penalty"], 36, 2),
    ("honours_lists", "荣誉及经营异常、严重失信名单", ["honour", "watchlist"], 60, 2),
)

TEMPLATE_TITLE = "企业信用信息查询授权书"
TEMPLATE_BODY = (
    "本企业 {enterprise} 依据《中华人民共和国数据安全法》《中华人民共和国个人信息保护法》及"
    "《征信业管理条例》第十八条，自愿、单独、明确地授权 {institution}，"
    "仅为以下用途：{purpose}，通过大庆市数字金融服务平台查询本企业的下列信用信息：{scopes}。\n"
    "授权有效期至 {valid_until}（用途结束时授权同时终止），查询次数上限：{query_limit}。\n"
    "被授权机构不得将上述信息用于约定用途以外的任何目的，不得向第三方提供。"
    "本企业可随时在平台撤回本授权，撤回即时生效；每一次查询均记录在案，本企业可随时查看。"
)


def install(scope_model, template_model) -> None:
    """Create missing default scopes and the first template version (idempotent)."""
    for order, (code, name, categories, months, sensitivity) in enumerate(SCOPES):
        scope_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "categories": categories,
                "months_back": months,
                "sensitivity": sensitivity,
                "order": order,
            },
        )
    if not template_model.objects.exists():
        template_model.objects.create(version=1, title=TEMPLATE_TITLE, body=TEMPLATE_BODY)
