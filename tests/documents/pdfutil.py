"""Reading back the PDFs in tests: text per page, fonts, text drawn in a given font."""

import io

from pypdf import PdfReader


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in reader(data).pages]


def text(data: bytes) -> str:
    return "\n".join(page_texts(data))


def flat(value: str) -> str:
    return " ".join(value.split())


def embedded_fonts(data: bytes) -> dict[str, bool]:
    """BaseFont name → whether its glyphs are embedded (FontFile2 in the descriptor)."""
    fonts = {}
    for page in reader(data).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            fonts[str(font["/BaseFont"])] = "/FontFile2" in descriptor
    return fonts


def runs_by_font(data: bytes, page_number: int = 0) -> list[tuple[str, str]]:
    """(BaseFont, text) for each text run drawn on a page."""
    runs = []

    def visit(txt, cm, tm, font_dict, font_size):
        if font_dict is not None and txt.strip():
            runs.append((str(font_dict.get("/BaseFont", "")), txt))

    reader(data).pages[page_number].extract_text(visitor_text=visit)
    return runs
