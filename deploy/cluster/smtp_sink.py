"""The cluster's SMTP sink (aiosmtpd handler, deploy/cluster/cluster.sh): accepts every message
and appends one JSON line per recipient to the file CLUSTER_SINK_LOG, with the outbox row's
X-Chibo-Key, so a test can count deliveries per row: none lost, none twice.

While the file CLUSTER_SINK_LOG + ".hold" exists, a message's DATA gets no reply (the sender
waits, as on a slow server; the sink writes ".held" when one is waiting). When the hold file is
removed the waiting message is refused (451) and not recorded: a test kills the sending worker
in that moment, before any 250, as a crash does (tests/cluster/run_checks.py)."""

import asyncio
import email
import json
import os
import time
from pathlib import Path


class FileSink:
    def __init__(self):
        self.path = os.environ["CLUSTER_SINK_LOG"]
        self.hold = Path(self.path + ".hold")
        self.held = Path(self.path + ".held")

    async def handle_DATA(self, server, session, envelope):
        if self.hold.exists():
            self.held.touch()
            while self.hold.exists():
                await asyncio.sleep(0.05)
            self.held.unlink(missing_ok=True)
            return "451 4.3.0 Tạm thời không nhận thư"
        message = email.message_from_bytes(envelope.content)
        key = message.get("X-Chibo-Key", "")
        with open(self.path, "a") as fh:
            for rcpt in envelope.rcpt_tos:
                fh.write(json.dumps({"to": rcpt, "key": key, "at": time.time()}) + "\n")
        return "250 OK"
