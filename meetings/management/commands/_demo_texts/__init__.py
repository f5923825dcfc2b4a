"""The demo's texts, written for each topic (split by kind of cell: office, residential)."""

from .base import OFFICE, RESIDENTIAL, TopicText, paragraphs  # noqa: F401
from .office import DIGITAL, PARTY_LIFE, RESPONSIBILITY, SELF_CRITICISM, WASTE
from .residential import CIVILISED_STREET, SECURITY, SOLIDARITY, TRADITION

OFFICE_TOPICS = (RESPONSIBILITY, PARTY_LIFE, DIGITAL, WASTE, SELF_CRITICISM)
RESIDENTIAL_TOPICS = (SOLIDARITY, CIVILISED_STREET, SECURITY, TRADITION)
ALL_TOPICS = OFFICE_TOPICS + RESIDENTIAL_TOPICS

# Reasons of an excused absence, as a clerk writes them.
OFFICE_ABSENCE_REASONS = (
    "Đi công tác theo quyết định của cơ quan",
    "Nghỉ phép năm theo kế hoạch đã được duyệt",
    "Ốm, đang điều trị tại Bệnh viện Đa khoa tỉnh",
    "Tham gia lớp bồi dưỡng nghiệp vụ tập trung",
)
RESIDENTIAL_ABSENCE_REASONS = (
    "Đi làm ăn xa tại Bình Dương",
    "Ốm, đang điều trị tại Bệnh viện Đa khoa tỉnh",
    "Chăm con nhỏ bị ốm",
    "Chăm sóc mẹ già ốm nặng",
)
RESERVATION = "Đề nghị ghi rõ thời hạn hoàn thành từng giải pháp trong nghị quyết để chi bộ kiểm tra."
