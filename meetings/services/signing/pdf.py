"""PAdES signatures of a minutes PDF with pyHanko (public API only).

Two fields sit in the signature block the document already prints: the clerk's on the left
("THƯ KÝ"), the chair's on the right ("T/M CHI BỘ – BÍ THƯ" or "CHỦ TRÌ"). Both are added
with the first signature, which certifies the document (DocMDP: filling and signing only);
the other field carries a /Lock that closes the document once it is signed. Each signature
is an incremental update, so every earlier revision (the sealed minutes first) stays a
byte-for-byte prefix of the signed file.

The positions come from the rendered PDF itself: WeasyPrint writes every element id as a
named destination, and the minutes template gives the signing space of each column an id.
"""

import datetime
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from fontTools import subset, ttLib
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import FieldMDPAction, FieldMDPSpec, MDPPerm, SigFieldSpec
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from meetings.models import SignerRole

# Field names: the PDF's own, read by every PDF reader's signature panel.
FIELD_NAMES = {SignerRole.CHAIR: "ChuTri", SignerRole.CLERK: "ThuKy"}
# Named destinations written by WeasyPrint for the ids in templates/documents/_signatures.html.
ANCHOR_LEFT, ANCHOR_RIGHT, ANCHOR_NAMES = "sig-left", "sig-right", "sig-names"
# The stamp is drawn inside the signing space, away from the role line and the printed name.
INSET_X, INSET_Y = 18, 4
# NĐ 30/2020 (Phụ lục I): the signature's image is blue.
STAMP_BLUE = (0.05, 0.2, 0.62)
FONT = Path(settings.BASE_DIR, "static", "fonts", "Tinos-Regular.ttf")
STAMP_TEXT = "Ký số bởi: %(signer)s\n%(title)s\nThời gian ký: %(signed_at)s"


class SigningError(Exception):
    """A signature could not be made; the message is shown to the user as it is."""


class Signer(Protocol):
    """What the PDF code needs from whoever holds the key: pyHanko's signer object. The PKCS#12
    file (services/signing/certificates.py) gives a pyHanko SimpleSigner; a USB token gives an
    external signer whose signature value comes back from the CA's plugin (see
    `prepare_external` / `finish_external` and deploy/OPERATIONS.md)."""

    @property
    def pyhanko_signer(self) -> signers.Signer: ...

    @property
    def subject(self) -> str: ...


@dataclass(frozen=True)
class SignatureBox:
    page: int
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class Placement:
    """Where the two fields go (None: the document names no signature block)."""

    chair: SignatureBox | None
    clerk: SignatureBox | None


def _destinations(reader: PdfFileReader) -> dict[str, tuple[int, float, float]]:
    """Named destinations as {name: (page index, x, y)}, from the catalog's /Dests name tree
    (WeasyPrint writes a flat /Names array)."""
    names = reader.root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    tree = names["/Dests"]
    flat = list(tree.get("/Names", []))
    for kid in tree.get("/Kids", []):
        flat.extend(kid.get_object().get("/Names", []))
    pages = {}
    for i in range(int(reader.root["/Pages"]["/Count"])):
        pages[reader.find_page_for_modification(i)[0].idnum] = i
    out = {}
    for name, dest in zip(flat[::2], flat[1::2], strict=False):
        dest = dest.get_object()
        if isinstance(dest, dict):
            dest = dest["/D"]
        # raw_get: the page's reference, not the page dictionary it points to.
        page_ref, x, y = dest.raw_get(0), dest[2], dest[3]
        if getattr(page_ref, "idnum", None) in pages:
            out[str(name)] = (pages[page_ref.idnum], float(x), float(y))
    return out


def signature_placement(data: bytes) -> Placement:
    """The two signing spaces of the signature block, from the layout anchors."""
    reader = PdfFileReader(io.BytesIO(data))
    dests = _destinations(reader)
    if not {ANCHOR_LEFT, ANCHOR_RIGHT, ANCHOR_NAMES} <= dests.keys():
        return Placement(chair=None, clerk=None)
    page, left_x, top = dests[ANCHOR_LEFT]
    _, right_x, _ = dests[ANCHOR_RIGHT]
    _, _, bottom = dests[ANCHOR_NAMES]
    width = right_x - left_x  # the two columns have the same width (documents.css)

    def box(x: float) -> SignatureBox:
        return SignatureBox(
            page=page,
            box=(round(x + INSET_X), round(bottom + INSET_Y), round(x + width - INSET_X), round(top - INSET_Y)),
        )

    return Placement(chair=box(right_x), clerk=box(left_x))


# What the stamp prints: Latin, Vietnamese letters and tone marks, dashes and quotes.
_STAMP_CHARS = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x250),
    *range(0x300, 0x324),
    *range(0x1EA0, 0x1EFA),
    *range(0x2010, 0x2027),
]


@lru_cache(maxsize=1)
def stamp_font_path() -> Path:
    """The document's Tinos, cut to the stamp's characters and scaled to 1000 units per em.

    Why: pyHanko 0.38 writes a TrueType font's glyph widths in the font's own units into the
    PDF's /W array, which PDF reads as thousandths of an em; Tinos has 2048 units per em, so
    its letters would be drawn twice as far apart. Made once per process in the temp folder."""
    digest = hashlib.sha256(FONT.read_bytes()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"chibo-stamp-{digest}.ttf"
    if not path.exists():
        font = ttLib.TTFont(str(FONT))
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.hinting = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=_STAMP_CHARS)
        subsetter.subset(font)
        scale_upem(font, 1000)
        partial = path.with_suffix(f".{os.getpid()}.part")
        font.save(str(partial))
        partial.replace(path)  # atomic: another process never reads half a file
    return path


@lru_cache(maxsize=1)
def _font_factory() -> GlyphAccumulatorFactory:
    return GlyphAccumulatorFactory(str(stamp_font_path()), font_size=8)


def stamp_style() -> TextStampStyle:
    return TextStampStyle(
        stamp_text=STAMP_TEXT,
        border_width=1,
        border_color=STAMP_BLUE,
        background=None,
        text_box_style=TextBoxStyle(
            font=_font_factory(),
            font_size=8,
            leading=10,
            text_color=STAMP_BLUE,
            box_layout_rule=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID, margins=Margins.uniform(3)
            ),
        ),
    )


def iso_time(moment: datetime.datetime) -> str:
    """NĐ 30/2020: date, hours, minutes, seconds and Vietnam's offset, ISO 8601."""
    local = moment.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    return local.replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class SignRequest:
    role: str  # SignerRole
    signer_name: str
    signer_title: str  # as printed above the field: "T/M CHI BỘ – BÍ THƯ", "CHỦ TRÌ", "THƯ KÝ"
    signed_at: datetime.datetime
    first: bool  # no signature yet: certify and add both fields
    reason: str
    location: str


def add_fields(writer: IncrementalPdfFileWriter, placement: Placement, *, first_role: str) -> None:
    """Both fields, so the second signer fills an existing field (allowed by the certification);
    the field signed second locks the document."""
    for role in (SignerRole.CHAIR, SignerRole.CLERK):
        spot = placement.chair if role == SignerRole.CHAIR else placement.clerk
        last = role != first_role
        writer_spec = SigFieldSpec(
            sig_field_name=FIELD_NAMES[role],
            on_page=spot.page if spot else -1,
            box=spot.box if spot else None,
            readable_field_name=SignerRole(role).label,
            field_mdp_spec=FieldMDPSpec(action=FieldMDPAction.ALL) if last else None,
            doc_mdp_update_value=MDPPerm.NO_CHANGES if last else None,
        )
        fields.append_signature_field(writer, writer_spec)


def signature_metadata(request: SignRequest, *, validation_context: ValidationContext | None, embed: bool):
    return signers.PdfSignatureMetadata(
        field_name=FIELD_NAMES[request.role],
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=request.first,
        # The second signature's field carries the lock (P=1): nothing changes after it.
        docmdp_permissions=MDPPerm.FILL_FORMS if request.first else MDPPerm.NO_CHANGES,
        reason=request.reason,
        location=request.location,
        name=request.signer_name,
        embed_validation_info=embed,
        validation_context=validation_context,
    )


def sign_pdf(
    data: bytes, *, signer: Signer, request: SignRequest, validation_context: ValidationContext | None = None
) -> bytes:
    """The PDF with one more signature. With a validation context that holds revocation data
    for the signer's chain (B-LT), that data is embedded; otherwise a B-B signature."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    if request.first:
        add_fields(writer, signature_placement(data), first_role=request.role)
    meta = signature_metadata(request, validation_context=validation_context, embed=validation_context is not None)
    pdf_signer = signers.PdfSigner(meta, signer=signer.pyhanko_signer, stamp_style=stamp_style())
    out = pdf_signer.sign_pdf(
        writer,
        existing_fields_only=True,
        appearance_text_params=appearance_params(request),
    )
    return out.getvalue()


def appearance_params(request: SignRequest) -> dict:
    return {"signer": request.signer_name, "title": request.signer_title, "signed_at": iso_time(request.signed_at)}
