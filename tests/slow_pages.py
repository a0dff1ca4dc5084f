"""A file that takes a while to make, for the tests that stop a worker in the
middle of a job (imported by the worker process, by its dotted path)."""

import time

from overview.services import year_pdf_html


def slow_year_pdf_html(rendering) -> str:
    time.sleep(4)
    return year_pdf_html(rendering)
