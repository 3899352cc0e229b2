from django.core.management.base import BaseCommand

from dfsp.datahub import simulator


class Command(BaseCommand):
    help = "Serve a simulated source pull API (paginated JSON, watermarks, failure injection) on loopback."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--enterprises", type=int, default=20)
        parser.add_argument("--months", type=int, default=3)
        parser.add_argument("--page-size", type=int, default=25)

    def handle(self, *args, **options):
        self.stdout.write(f"source simulator on http://127.0.0.1:{options['port']}/records")
        simulator.serve(
            options["port"],
            enterprises=options["enterprises"],
            months=options["months"],
            page_size=options["page_size"],
        )
