#!/usr/bin/env python
"""Django's command-line utility for the PRM project."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prm.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415  (after the settings module is named, as Django lays it out)

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
