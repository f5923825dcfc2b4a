"""Screenshots for the in-app guide (`make guide-images`): the real pages of the demo data,
captured in Chromium from a live e2e stack at 1366 px (resized to 1000 px) and at 390 px,
reduced to a small palette with Pillow and written to static/img/guide/.

    E2E_DB=chibo_e2e_guide E2E_REDIS_URL=redis://127.0.0.1:6379/6 python -m tests.e2e.make_guide_screenshots
"""

import io
import json
import sys

from PIL import Image, ImageChops

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD
from tests.e2e.stack import ROOT, Stack
from tests.e2e.test_email_links import SETUP as NOTICED_MEETING

OUT = ROOT / "static" / "img" / "guide"
WIDTH = 1000
COLOURS = 96

# Pages the guide shows, found in the demo data through the ORM.
FIND = """
import json
from meetings.models import Meeting, Member, Plan
bithu = Member.objects.get(user__username="bithu")
meetings = Meeting.objects.filter(cell=bithu.cell).order_by("-year", "-quarter", "-pk")
def first(*stages):
    m = meetings.filter(stage__in=stages).first()
    return m.pk if m else meetings.first().pk
done = meetings.filter(stage="finalized").first() or meetings.first()
plan = Plan.objects.filter(cell=bithu.cell).order_by("-year").first()
print(json.dumps({
    "plan": plan.pk,
    "detail": first("noticed", "scheduled", "preparing"),
    "run": first("in_progress", "noticed", "held", "finalized"),
    "year": done.year,
    "quarter": done.quarter,
}))
"""

# (file name, user, path, phone)
SHOTS = [
    ("bi-thu-ke-hoach", "bithu", "/ke-hoach/{plan}/", False),
    ("bi-thu-buoi-sinh-hoat", "bithu", "/buoi-sinh-hoat/{detail}/", False),
    ("bi-thu-dien-bien", "bithu", "/buoi-sinh-hoat/{run}/dien-bien/?buoc=attendance", False),
    ("bi-thu-bao-cao", "bithu", "/bao-cao/", False),
    ("dang-vien-viec-cua-toi-390", "dangvien", "/viec-cua-toi/", True),
    ("dang-vien-lich-hop-390", "dangvien", "/lich-hop/?buoi={noticed}", True),
    ("dang-vien-thu-vien", "dangvien", "/thu-vien/", False),
    ("cap-uy-tong-hop", "capuy", "/tong-hop/?nam={year}&quy={quarter}", False),
    ("cap-uy-bao-cao", "capuy", "/bao-cao-nhan-duoc/", False),
]


def save_small(png: bytes, name: str, *, phone: bool) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    # A short page: the white below its footer is cut off.
    blank = Image.new("RGB", image.size, (255, 255, 255))
    box = ImageChops.difference(image, blank).getbbox()
    if box and box[3] + 24 < image.height:
        image = image.crop((0, 0, image.width, box[3] + 24))
    width = 390 if phone else WIDTH
    if image.width != width:
        image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    image = image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    path = OUT / f"{name}.png"
    image.save(path, optimize=True)
    return path.stat().st_size


def main() -> int:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    stack = Stack().start()
    try:
        pks = json.loads(stack.manage("shell", "-c", FIND).stdout.strip().splitlines()[-1])
        # A meeting noticed a few days ahead, so that the member's page shows the reply buttons.
        noticed = json.loads(stack.manage("shell", "-c", NOTICED_MEETING).stdout.strip().splitlines()[-1])
        pks["noticed"] = noticed["meeting"]
        total = 0
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for name, user, path, phone in SHOTS:
                viewport = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 820}
                context = browser.new_context(
                    base_url=stack.url, viewport=viewport, locale="vi-VN", reduced_motion="reduce", is_mobile=phone
                )
                page = context.new_page()
                page.goto("/dang-nhap/")
                page.fill("input[name=username]", user)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(lambda url: "/dang-nhap/" not in url)
                page.goto(path.format(**pks))
                page.wait_for_load_state("networkidle")
                size = save_small(page.screenshot(full_page=False), name, phone=phone)
                total += size
                print(f"{name}.png  {size // 1024} KB  ({user} {path.format(**pks)})")
                context.close()
            browser.close()
        print(f"total {total // 1024} KB in {OUT.relative_to(ROOT)}")
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
