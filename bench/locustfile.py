"""The mixed load's simulated users (bench/mixed_load.py starts locust on this).

Five kinds of people, weighted as a förbund's day is: the kansli reading
their pages, processledare logging statuses for their own participants, board
members reading protocols, the public on the anslagstavla, and an ekonom
exporting. Who they are (session cookies, their pages, their participants) is
in the JSON file named by BENCH_MIXED; every status a processledare saves is
written, with its note, to the file named by BENCH_MIXED_LOG, so that the
driver can check that each is in the database.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import uuid

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["BENCH_MIXED"]).read())  # noqa: SIM115, PTH123
LOG = os.environ["BENCH_MIXED_LOG"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_people = {kind: itertools.cycle(people) for kind, people in PLAN["people"].items()}


class _Person(HttpUser):
    abstract = True
    kind = ""
    # A person reads a page before the next: 3 to 10 s (an office at full
    # tilt; fifty of them make some seven requests a second).
    wait_time = between(3, 10)

    def on_start(self):
        self.me = next(_people[self.kind])
        if self.me.get("cookie"):
            name, value = self.me["cookie"].split("=", 1)
            self.client.cookies.set(name, value)

    def open(self, path: str, name: str | None = None):
        with self.client.get(path, name=name or path, catch_response=True) as response:
            if response.status_code != 200 or "/konto/" in response.url:
                response.failure(f"{response.status_code} at {response.url}")
            return response


class Kansli(_Person):
    kind = "kansli"
    weight = 10

    @task
    def read(self):
        page = random.choice(PLAN["pages"]["kansli"])  # noqa: S311 - a load mix
        self.open(page["path"], page["label"])


class Processledare(_Person):
    kind = "processledare"
    weight = 15

    @task(3)
    def list_participants(self):
        self.open("/deltagare/", "Deltagare, lista")

    @task(2)
    def open_participation(self):
        pk = random.choice(self.me["participations"])  # noqa: S311
        self.open(f"/deltagare/{pk}/", "Deltagare, ett deltagande")

    @task(3)
    def log_status(self):
        page = self.open("/deltagare/", "Deltagare, lista")
        token = CSRF.search(page.text or "")
        if token is None:
            return
        pk = random.choice(self.me["participations"])  # noqa: S311
        note = f"bench-{uuid.uuid4().hex[:12]}"
        with self.client.post(
            f"/deltagare/{pk}/status/",
            {
                "csrfmiddlewaretoken": token.group(1),
                "kind": random.choice(PLAN["status_kinds"]),  # noqa: S311
                "date": dt.date.today().isoformat(),
                "note": note,
                "next": "/deltagare/",
            },
            headers={"HX-Request": "true", "Referer": self.host + "/deltagare/"},
            name="Deltagare, logga status",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and "Statusen är sparad" in response.text:
                with open(LOG, "a") as log:  # noqa: PTH123
                    log.write(note + "\n")
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class Styrelse(_Person):
    kind = "styrelse"
    weight = 8

    @task
    def read_protocol(self):
        page = random.choice(PLAN["pages"]["styrelse"])  # noqa: S311
        self.open(page["path"], page["label"])


class Allmanheten(_Person):
    kind = "allmanheten"
    weight = 12

    @task
    def notice_board(self):
        page = random.choice(PLAN["pages"]["allmanheten"])  # noqa: S311
        self.open(page["path"], page["label"])


class Ekonom(_Person):
    kind = "ekonom"
    weight = 5

    @task
    def export(self):
        page = random.choice(PLAN["pages"]["ekonom"])  # noqa: S311
        self.open(page["path"], page["label"])
