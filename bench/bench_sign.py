"""Signing benchmark (issue 18): what a PAdES signature adds to a sealed minutes PDF.

    python bench/bench_sign.py [--runs 7]

Builds, in a throw-away SQLite database, the recorded meeting of a 40-member cell with 25
speeches (factories, no workflow) and finalises it once with `minutes_create`. A throw-away
CA (meetings/services/signing/pki.py) issues the chair's and the clerk's PKCS#12 files. Then,
--runs times each, it signs the sealed PDF as the chair (certification, both fields added)
and that result as the clerk (the locking signature), with `pdf.sign_pdf` on bytes in
memory; and once through the whole service `minutes_sign` (decrypting the stored PKCS#12,
opening it with its password, storing the revision), for chair then clerk.
Reference: signing must add under 0.5 s per document (issue 18).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="chibo-bench-sign-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ["CHIBO_TRUST_ROOTS_DIR"] = str(WORK / "trust-roots")
os.environ["CHIBO_SIGNING_ENABLED"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from meetings.models import Meeting, SignerRole  # noqa: E402
from meetings.services.minutes import minutes_create, minutes_pdf_bytes  # noqa: E402
from meetings.services.signing import pdf, pki  # noqa: E402
from meetings.services.signing.certificates import certificate_upload, pkcs12_open  # noqa: E402
from meetings.services.signing.minutes import minutes_sign  # noqa: E402

PASSWORD = "bench-password"  # noqa: S105 - a throw-away key made by this script
LIMIT = 0.5


def build():
    from tests import factories as f
    from tests.documents.builders import recorded_meeting

    committee = f.CommitteeFactory(name="Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh")
    cell = f.CellFactory(name="Chi bộ Văn phòng", parent=committee)
    meeting = recorded_meeting(cell, n_members=40, n_speeches=25)
    meeting.clerk.user = f.UserFactory()
    meeting.clerk.save()
    with transaction.atomic():  # as inside meeting_finalize
        minutes = minutes_create(meeting=meeting, actor=None)
    Meeting.objects.filter(pk=meeting.pk).update(stage="finalized")
    return minutes, meeting


def request(role: str, *, first: bool) -> pdf.SignRequest:
    return pdf.SignRequest(
        role=role,
        signer_name="Nguyễn Văn An",
        signer_title="THƯ KÝ" if role == SignerRole.CLERK else "T/M CHI BỘ – BÍ THƯ",
        signed_at=timezone.now(),
        first=first,
        reason="Ký biên bản",
        location="Hà Tĩnh",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    minutes, meeting = build()
    base = minutes_pdf_bytes(minutes)
    authority = pki.authority_create("bench CA")
    (WORK / "trust-roots").mkdir(exist_ok=True)
    (WORK / "trust-roots" / "bench-ca.pem").write_bytes(authority.pem)
    chair_p12, _ = pki.signer_create(authority, "Chu Tri", password=PASSWORD)
    clerk_p12, _ = pki.signer_create(authority, "Thu Ky", password=PASSWORD)
    chair, clerk = pkcs12_open(chair_p12, PASSWORD), pkcs12_open(clerk_p12, PASSWORD)

    started = time.perf_counter()
    pdf.sign_pdf(base, signer=chair, request=request(SignerRole.CHAIR, first=True))
    first_call = time.perf_counter() - started  # includes the stamp font made once per process

    firsts, seconds = [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        once = pdf.sign_pdf(base, signer=chair, request=request(SignerRole.CHAIR, first=True))
        t1 = time.perf_counter()
        pdf.sign_pdf(once, signer=clerk, request=request(SignerRole.CLERK, first=False))
        t2 = time.perf_counter()
        firsts.append(t1 - t0)
        seconds.append(t2 - t1)

    certificate_upload(user=meeting.chair.user, data=chair_p12, password=PASSWORD)
    certificate_upload(user=meeting.clerk.user, data=clerk_p12, password=PASSWORD)
    t0 = time.perf_counter()
    minutes_sign(minutes=minutes, user=meeting.chair.user, role=SignerRole.CHAIR, password=PASSWORD)
    t1 = time.perf_counter()
    minutes_sign(minutes=minutes, user=meeting.clerk.user, role=SignerRole.CLERK, password=PASSWORD)
    t2 = time.perf_counter()

    chair_med, clerk_med = statistics.median(firsts), statistics.median(seconds)
    print(f"sealed minutes PDF: {len(base) / 1024:.0f} KB, 40 members, 25 speeches")
    print(f"first signature in the process (stamp font prepared): {first_call:.3f} s")
    print(f"chair (certifies, adds both fields), median of {args.runs}: {chair_med:.3f} s")
    print(f"clerk (locks), median of {args.runs}:                     {clerk_med:.3f} s")
    print(f"service minutes_sign with stored PKCS#12: chair {t1 - t0:.3f} s, clerk {t2 - t1:.3f} s")
    worst = max(chair_med, clerk_med, t1 - t0, t2 - t1)
    verdict = "OK" if worst < LIMIT else "OVER"
    print(f"reference: under {LIMIT} s per signature -> worst {worst:.3f} s: {verdict}")
    if worst >= LIMIT:
        sys.exit(1)


if __name__ == "__main__":
    main()
