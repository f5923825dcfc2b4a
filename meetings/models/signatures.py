"""Digital signatures of sealed minutes (issue 18).

A sealed `Minutes` row never changes, so each signature is a new, insert-only record holding
the whole signed PDF (pyHanko appends an incremental update: the sealed bytes stay its
prefix). The signing certificate of a user is kept encrypted; its password never is.
"""

import pgtrigger
from django.db import models
from django.db.models import Q


class SignerRole(models.TextChoices):
    CHAIR = "chair", "Chủ trì"
    CLERK = "clerk", "Thư ký"


class SigningCertificate(models.Model):
    """A user's PKCS#12 file (key and certificate chain), encrypted with the installation's
    key (CHIBO["SIGNING_KEY"]); the file's own password is typed at each signature."""

    user = models.OneToOneField(
        "meetings.User", verbose_name="người dùng", on_delete=models.CASCADE, related_name="signing_certificate"
    )
    pkcs12_encrypted = models.BinaryField("tệp PKCS#12 đã mã hóa")
    subject = models.CharField("chủ thể chứng thư", max_length=500)
    issuer = models.CharField("tổ chức cấp", max_length=500)
    serial = models.CharField("số hiệu chứng thư", max_length=80)
    not_before = models.DateTimeField("hiệu lực từ")
    not_after = models.DateTimeField("hiệu lực đến")
    sha256_fingerprint = models.CharField("dấu vân tay SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now=True)

    class Meta:
        verbose_name = "chứng thư chữ ký số"
        verbose_name_plural = "chứng thư chữ ký số"

    def __str__(self):
        return f"{self.subject} ({self.serial})"


class MinutesSignature(models.Model):
    """One signed revision of sealed minutes: the PDF after this signature (every earlier
    revision is its prefix), its SHA-256, who signed in which role and with what certificate."""

    minutes = models.ForeignKey(
        "meetings.Minutes", verbose_name="biên bản", on_delete=models.PROTECT, related_name="signatures"
    )
    revision = models.PositiveSmallIntegerField("lần ký")
    role = models.CharField("vai trò", max_length=8, choices=SignerRole.choices)
    pdf = models.FileField("tệp PDF đã ký", upload_to="signed/%Y/")
    pdf_sha256 = models.CharField("SHA-256 của PDF đã ký", max_length=64, db_index=True)
    # The file this signature was applied to (the sealed minutes or the previous revision).
    base_sha256 = models.CharField("SHA-256 của bản được ký", max_length=64)
    signed_by = models.ForeignKey(
        "meetings.User", verbose_name="người ký", on_delete=models.PROTECT, related_name="minutes_signatures"
    )
    signer_name = models.CharField("họ tên người ký", max_length=200)
    signer_title = models.CharField("chức danh ký", max_length=100)
    signed_at = models.DateTimeField("ký lúc")
    certificate_subject = models.CharField("chủ thể chứng thư", max_length=500)
    certificate_serial = models.CharField("số hiệu chứng thư", max_length=80)
    certificate_issuer = models.CharField("tổ chức cấp", max_length=500)
    # PAdES baseline level reached: B-LT when revocation data was embedded, else B-B.
    level = models.CharField("mức PAdES", max_length=8)

    class Meta:
        verbose_name = "chữ ký số biên bản"
        verbose_name_plural = "chữ ký số biên bản"
        ordering = ["minutes", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "revision"], name="signature_revision_unique"),
            models.UniqueConstraint(fields=["minutes", "role"], name="signature_role_unique"),
            models.CheckConstraint(condition=Q(revision__gte=1), name="signature_revision_positive"),
        ]
        # Insert-only, like the minutes it signs (meetings/models/integrity.py).
        triggers = [
            pgtrigger.Protect(name="protect_signature_update", operation=pgtrigger.Update),
            pgtrigger.Protect(name="protect_signature_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.get_role_display()} ký {self.minutes} (lần {self.revision})"
