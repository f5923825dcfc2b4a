"""Server side of signing with a USB token (design in deploy/OPERATIONS.md, "Chữ ký số").

The key never leaves the token: the CA's plugin in the browser signs a digest the server
computed. pyHanko's interrupted signing splits the work in two:

- `prepare_external`: the PDF with the signature placeholder (fields, appearance and DocMDP
  as for a PKCS#12 signature), the CMS signed attributes, and the SHA-256 of their DER
  encoding — what the plugin signs;
- `finish_external`: the plugin's raw signature value completes the CMS, which is written
  into the placeholder.

The view and the prepared-document table that hold `PreparedExternal` between the two
requests are not built yet; these functions are tested with a key standing in for the token.
"""

import asyncio
import hashlib
import io
from dataclasses import dataclass

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko_certvalidator.registry import SimpleCertificateStore

from meetings.services.signing import pdf

# Room for the CMS (certificates, signature, attributes): generous, the unused part is zeros.
RESERVED_BYTES = 16 * 1024
MD = "sha256"


@dataclass(frozen=True)
class PreparedExternal:
    """Everything needed to finish later; plain bytes and ints, so it can be stored."""

    document: bytes  # the PDF with the empty signature placeholder
    document_digest: bytes
    reserved_start: int
    reserved_end: int
    signed_attrs: bytes  # DER of the CMS signed attributes
    certificate: bytes  # DER of the signer's certificate (from the plugin)
    chain: tuple[bytes, ...]  # DER of the issuing CAs

    @property
    def to_sign(self) -> bytes:
        """The SHA-256 of the signed attributes: what the token signs."""
        return hashlib.sha256(self.signed_attrs).digest()


def _external_signer(certificate: bytes, chain, value: bytes | None = None) -> signers.ExternalSigner:
    cert = asn1_x509.Certificate.load(certificate)
    registry = SimpleCertificateStore.from_certs([asn1_x509.Certificate.load(c) for c in chain])
    return signers.ExternalSigner(signing_cert=cert, cert_registry=registry, signature_value=value or 512)


def prepare_external(data: bytes, *, certificate: bytes, chain=(), request: pdf.SignRequest) -> PreparedExternal:
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    if request.first:
        pdf.add_fields(writer, pdf.signature_placement(data), first_role=request.role)
    signer = _external_signer(certificate, chain)
    pdf_signer = signers.PdfSigner(
        pdf.signature_metadata(request, validation_context=None, embed=False),
        signer=signer,
        stamp_style=pdf.stamp_style(),
    )

    async def run():
        prepared, _tbs, output = await pdf_signer.async_digest_doc_for_signing(
            writer,
            existing_fields_only=True,
            bytes_reserved=RESERVED_BYTES,
            appearance_text_params=pdf.appearance_params(request),
        )
        attrs = await signer.signed_attrs(prepared.document_digest, MD, use_pades=True)
        return prepared, output, attrs

    prepared, output, attrs = asyncio.run(run())
    output.seek(0)
    return PreparedExternal(
        document=output.read(),
        document_digest=prepared.document_digest,
        reserved_start=prepared.reserved_region_start,
        reserved_end=prepared.reserved_region_end,
        signed_attrs=attrs.dump(),
        certificate=certificate,
        chain=tuple(chain),
    )


def finish_external(prepared: PreparedExternal, *, signature_value: bytes) -> bytes:
    """The signed PDF, from the token's raw signature over `prepared.signed_attrs`."""
    signer = _external_signer(prepared.certificate, prepared.chain, signature_value)
    attrs = cms.CMSAttributes.load(prepared.signed_attrs)
    container = asyncio.run(signer.async_sign_prescribed_attributes(MD, signed_attrs=attrs))
    output = io.BytesIO(prepared.document)
    digest = PreparedByteRangeDigest(
        document_digest=prepared.document_digest,
        reserved_region_start=prepared.reserved_start,
        reserved_region_end=prepared.reserved_end,
    )
    PdfTBSDocument.finish_signing(output, digest, container)
    return output.getvalue()
