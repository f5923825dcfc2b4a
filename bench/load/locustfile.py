"""A realistic mix for chibo: members opening their tasks and the library, secretaries
entering attendance and speeches during a meeting, committee staff opening dashboards.
Run by bench/load/run_load.py (loopback only, bounded in time)."""

import json
import os
import random
import re

from locust import HttpUser, between, task

IDS = json.load(open(os.environ["CHIBO_LOAD_IDS"]))  # noqa: SIM115
PASSWORD = "chibo-demo-2026"  # noqa: S105
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


class ChiboUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self):
        page = self.client.get("/dang-nhap/", name="đăng nhập")
        token = CSRF.search(page.text).group(1)
        # The login and the page it leads to are timed apart (a followed redirect would add
        # the home page to the login's time).
        response = self.client.post(
            "/dang-nhap/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="đăng nhập",
            allow_redirects=False,
        )
        self.client.get(response.headers.get("Location", "/"), name="trang chủ (sau đăng nhập)")


class Member(ChiboUser):
    weight = 5
    username = "dangvien"

    @task(3)
    def task_page(self):
        self.client.get("/viec-cua-toi/", name="việc của tôi")

    @task(2)
    def library(self):
        self.client.get("/thu-vien/", name="thư viện")

    @task(1)
    def library_search(self):
        self.client.get("/thu-vien/?q=tu+soi+tu+sua", name="thư viện: tìm không dấu")

    @task(1)
    def my_meetings(self):
        self.client.get("/lich-hop/", name="lịch họp")


class Secretary(ChiboUser):
    weight = 3
    username = "bithu"

    def _form(self, step):
        page = self.client.get(f"/buoi-sinh-hoat/{IDS['meeting']}/dien-bien/?buoc={step}", name=f"diễn biến: {step}")
        csrf = CSRF.search(page.text)
        version = VERSION.search(page.text)
        return (csrf.group(1) if csrf else ""), (version.group(1) if version else "0")

    @task(2)
    def meeting_page(self):
        self.client.get(f"/buoi-sinh-hoat/{IDS['meeting']}/", name="buổi sinh hoạt")

    @task(2)
    def attendance(self):
        token, version = self._form("attendance")
        data = {"csrfmiddlewaretoken": token, "action": "attendance", "step": "attendance", "version": version}
        for pk in IDS["members"]:
            data[f"status_{pk}"] = "present"
        self.client.post(
            f"/buoi-sinh-hoat/{IDS['meeting']}/dien-bien/ghi/",
            data,
            name="ghi điểm danh",
            headers={"HX-Request": "true"},
        )

    @task(2)
    def speech(self):
        token, version = self._form("discussion")
        self.client.post(
            f"/buoi-sinh-hoat/{IDS['meeting']}/dien-bien/ghi/",
            {
                "csrfmiddlewaretoken": token,
                "action": "speech_add",
                "step": "discussion",
                "version": version,
                "speaker": random.choice(IDS["members"]),
                "content": "Đồng chí phát biểu: liên hệ bản thân, đề xuất giải pháp nâng cao chất lượng sinh hoạt.",
            },
            name="ghi ý kiến phát biểu",
            headers={"HX-Request": "true"},
        )


class CommitteeStaff(ChiboUser):
    weight = 2
    username = "bench-bloc"

    @task(3)
    def dashboard(self):
        self.client.get(f"/tong-hop/{IDS['bloc']}/", name="tổng hợp: khối ~1.000 chi bộ")

    @task(1)
    def inbox(self):
        self.client.get("/bao-cao-nhan-duoc/", name="báo cáo nhận được")


class NationalStaff(ChiboUser):
    weight = 1
    username = "bench-root"

    @task
    def dashboard(self):
        self.client.get(f"/tong-hop/{IDS['root']}/", name="tổng hợp: toàn quốc 300.000 chi bộ")
