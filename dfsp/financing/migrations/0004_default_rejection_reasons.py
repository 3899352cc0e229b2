"""Seed the default coded rejection reasons (operators maintain the list afterwards)."""

from django.db import migrations

# code, label, advice (Chinese: the platform's working language; labels are data, not UI strings)
REASONS = [
    ("cash_flow", "经营现金流不足", "补充近 12 个月银行流水、应收账款回款计划，或降低申请金额、延长期限后再申请。"),
    ("credit_record", "信用记录不良", "先结清逾期欠款、处理涉诉执行信息，保持 6 个月以上良好记录后再申请；可申请信用修复。"),
    ("industry_restriction", "行业政策限制", "该产品不支持贵企业所属行业，可在金融超市选择面向本行业的产品。"),
    ("collateral", "抵质押或担保不足", "补充房产、设备等抵押物，或引入政府性融资担保机构担保后再申请。"),
    ("materials_incomplete", "申请材料不完整", "按产品要求补齐营业执照、财务报表、纳税证明等材料后重新提交。"),
    ("service_region", "不在服务区域内", "该产品仅服务特定区县，可选择覆盖贵企业注册地的机构或产品。"),
    ("over_indebted", "负债率过高", "先压降现有负债、优化资产负债结构，或选择额度较低的产品。"),
    ("other", "其他原因", "请查看机构的具体说明，必要时联系机构客户经理沟通。"),
]


def seed(apps, schema_editor):
    RejectionReason = apps.get_model("financing", "RejectionReason")
    for order, (code, label, advice) in enumerate(REASONS, start=1):
        RejectionReason.objects.get_or_create(
            code=code, defaults={"label": label, "advice": advice, "order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("financing", "0003_application_desk")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
