#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
    if sys.argv[1:2] != ["runserver"]:
        # Commands (migrate, imports, gallring) may run longer than a web
        # request may: the request timeouts in settings are for the web.
        os.environ.setdefault("FINSAM_COMMAND", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
