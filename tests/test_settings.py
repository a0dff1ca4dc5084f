import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

from finsam.lib.formatting import format_kronor

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_the_deployment_check():
    env = {
        "PATH": os.environ["PATH"],
        "FINSAM_ENV": "production",
        "SECRET_KEY": "x" * 30 + "-a-long-random-production-secret-value-!",
        "ALLOWED_HOSTS": "finsam.example.se",
        "DATABASE_URL": "postgres://finsam@db.example.se/finsam",
        "EMAIL_URL": "smtp://mail.example.se:587",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets():
    env = {"PATH": os.environ["PATH"], "FINSAM_ENV": "production"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_is_off_unless_set():
    assert settings.DEBUG is False


def test_the_interface_is_swedish_in_stockholm_time():
    assert settings.LANGUAGE_CODE == "sv"
    assert settings.TIME_ZONE == "Europe/Stockholm"


def test_money_is_written_the_swedish_way():
    assert format_kronor(1234567).replace("\xa0", " ") == "1 234 567 kr"
    assert format_kronor(0).replace("\xa0", " ") == "0 kr"
    assert format_kronor(-5000).replace("\xa0", " ") == "\u22125 000 kr"


def test_dates_are_written_year_month_day():
    import datetime as dt

    rendered = Template("{{ d|date }} {{ d }}").render(Context({"d": dt.date(2026, 11, 23)}))

    assert rendered == "2026-11-23 2026-11-23"


def test_debug_is_never_on_under_production_settings():
    env = {
        "PATH": os.environ["PATH"],
        "FINSAM_ENV": "production",
        "DEBUG": "1",
        "SECRET_KEY": "x" * 30 + "-a-long-random-production-secret-value-!",
        "ALLOWED_HOSTS": "finsam.example.se",
        "DATABASE_URL": "postgres://finsam@db.example.se/finsam",
        "EMAIL_URL": "smtp://mail.example.se:587",
    }
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr
