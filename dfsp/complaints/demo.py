"""Demo complaints in several states (idempotent: only when none exist)."""

from django.contrib.auth import get_user_model

from dfsp.complaints import selectors, services
from dfsp.complaints.models import Complaint


def seed(stdout) -> None:
    if Complaint.objects.exists():
        return
    operator = get_user_model().objects.filter(username="operator").first()
    bank = (
        selectors.institutions().filter(name__contains="工商银行").first() or selectors.institutions().first()
    )
    if operator is None or bank is None:
        return
    specs = [
        (
            "complaint",
            "institution",
            "贷款审批超过承诺时限",
            "3月5日提交的信用贷款申请至今没有答复，客户经理电话也打不通。",
            "张伟",
            "13904591101",
        ),
        (
            "suggestion",
            "platform",
            "建议增加贷款进度短信提醒",
            "希望审批每个环节都能收到短信通知。",
            "李娜",
            "13904591102",
        ),
        (
            "complaint",
            "institution",
            "放款后被要求购买理财产品",
            "放款时客户经理要求我们购买10万元理财产品，属于搭售。",
            "王强",
            "13904591103",
        ),
        (
            "petition",
            "platform",
            "请求延长贴息申请期限",
            "部分企业因年报延迟，申请延长贴息申报期限一个月。",
            "赵敏",
            "13904591104",
        ),
    ]
    filed = []
    for kind, subject, title, content, name, mobile in specs:
        filed.append(
            services.file_complaint(
                filer=None,
                kind=kind,
                subject_kind=subject,
                institution=bank if subject == "institution" else None,
                service="financing" if subject == "platform" else "",
                title=title,
                content=content,
                contact_name=name,
                contact_mobile=mobile,
            )
        )
    first, second, third, _fourth = filed
    for complaint in (first, second, third):
        services.accept_complaint(actor=operator, complaint_id=complaint.pk)
    for complaint in (second, third):
        services.assign_complaint(actor=operator, complaint_id=complaint.pk, assignee=operator)
    services.reply_complaint(
        actor=operator, complaint_id=third.pk, reply="已约谈该行，责令退还理财资金并整改，感谢监督。"
    )
    services.rate_complaint(complaint=third, satisfaction=5, comment="处理及时。")
    stdout.write(f"complaints: {len(filed)} demo cases, e.g. tracking number {first.tracking_number}")
