"""Load realistic demo data: every app's ``demo.seed()`` in app order. Safe to run repeatedly."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


def demo_modules():
    """Each DFSP app that ships demo data has a ``demo`` module with ``seed(stdout)``."""
    for config in apps.get_app_configs():
        if not config.name.startswith("dfsp."):
            continue
        try:
            yield config.label, import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise


class Command(BaseCommand):
    help = "Load demo organisations, accounts and data for every module (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Only seed when no user exists yet.")

    def handle(self, *args, if_empty: bool = False, **options):
        user_model = apps.get_model("accounts", "User")
        if if_empty and user_model.objects.exists():
            self.stdout.write("Database already has users; demo data not loaded again.")
            return
        for label, module in demo_modules():
            with transaction.atomic():
                module.seed(self.stdout)
            self.stdout.write(f"demo data: {label} ok")
