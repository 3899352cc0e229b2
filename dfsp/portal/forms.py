from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from dfsp.core.forms import StyledForm
from dfsp.core.industries import industry_choices
from dfsp.core.regions import region_choices
from dfsp.portal.models import PolicyType


class PolicyFilterForm(StyledForm):
    authority = forms.CharField(label=_("Issuing authority"), required=False, max_length=60)
    region = forms.ChoiceField(label=_("Region"), required=False)
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    policy_type = forms.ChoiceField(label=_("Type"), required=False)
    issued_from = forms.DateField(
        label=_("Issued from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    issued_to = forms.DateField(
        label=_("Issued until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank = [("", _("All"))]
        self.fields["region"].choices = blank + list(region_choices())
        self.fields["industry"].choices = blank + industry_choices()
        self.fields["policy_type"].choices = blank + list(PolicyType.choices)


class QuestionForm(StyledForm):
    title = forms.CharField(label=_("Question"), max_length=120)
    body = forms.CharField(label=_("Details"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    institution = forms.TypedChoiceField(
        label=_("Addressed to"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [("", _("The platform"))] + [
            (o.pk, o.name) for o in institutions
        ]


class AnswerForm(StyledForm):
    answer = forms.CharField(label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))


class WithdrawForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


# --- Documents uploaded in the CMS (policy attachments, videos) --------------------------------

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
VIDEO_MAX_BYTES = 200 * 1024 * 1024
_ZIP_FAMILY = frozenset(
    {
        "application/zip",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
)
_OLE_FAMILY = frozenset({"application/msword", "application/vnd.ms-excel", "application/x-ole-storage"})
# What the content of a file with this extension must be (sniffed from its first bytes).
DOCUMENT_CONTENT = {
    "pdf": frozenset({"application/pdf"}),
    "docx": _ZIP_FAMILY,
    "xlsx": _ZIP_FAMILY,
    "ofd": _ZIP_FAMILY,  # OFD (GB/T 33190) is a ZIP container
    "zip": _ZIP_FAMILY,
    "doc": _OLE_FAMILY,
    "xls": _OLE_FAMILY,
    "mp4": frozenset({"video/mp4", "video/x-m4v"}),
    "webm": frozenset({"video/webm", "video/x-matroska"}),
}
VIDEO_EXTENSIONS = frozenset({"mp4", "webm"})


def check_document_upload(upload) -> None:
    """Refuse an oversized file, an extension we do not publish, or content that is not what its
    extension claims (an HTML or script file renamed to .pdf, say)."""
    import filetype

    name = (getattr(upload, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    allowed = DOCUMENT_CONTENT.get(extension)
    if allowed is None:
        raise forms.ValidationError(_("This type of file cannot be published."), code="extension")
    limit = VIDEO_MAX_BYTES if extension in VIDEO_EXTENSIONS else DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is too large (at most %(megabytes)s MB).") % {"megabytes": limit // (1024 * 1024)},
            code="size",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    head = upload.read(65536)
    upload.seek(position)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in allowed:
        raise forms.ValidationError(
            _("The content of the file does not match its type (.%(extension)s).") % {"extension": extension},
            code="content",
        )


class PortalDocumentForm(BaseDocumentForm):
    """Wagtail's document form with size and content checks (settings.WAGTAILDOCS_DOCUMENT_FORM_BASE)."""

    def clean_file(self):
        from django.core.files.uploadedfile import UploadedFile

        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            check_document_upload(upload)
        return upload
