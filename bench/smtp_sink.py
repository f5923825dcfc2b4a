"""The benchmark's SMTP sink (aiosmtpd handler): accepts everything and counts deliveries
per (recipient, Message-ID), so the benchmark can check that every message arrived once.

A message to ``stats@bench.invalid`` writes the counts since the last such message as JSON
to the file named by ``BENCH_SINK_STATS`` and starts counting afresh.
"""

import json
import os
from collections import Counter

STATS_ADDRESS = "stats@bench.invalid"


class CountingSink:
    def __init__(self):
        self.seen = Counter()

    async def handle_DATA(self, server, session, envelope):
        if envelope.rcpt_tos == [STATS_ADDRESS]:
            counts = Counter(self.seen.values())
            with open(os.environ["BENCH_SINK_STATS"], "w") as fh:
                json.dump({"pairs": len(self.seen), "counts": {str(k): v for k, v in counts.items()}}, fh)
            self.seen.clear()
            return "250 OK"
        data = envelope.content
        start = data.find(b"\r\nMessage-ID: <") + 15
        message_id = data[start : data.find(b">", start)].decode("ascii", "replace")
        for rcpt in envelope.rcpt_tos:
            self.seen[(rcpt, message_id)] += 1
        return "250 OK"
