import os
import time

from django.core.management.base import BaseCommand, CommandError

from bench.data import BenchData, ContentExists


class Command(BaseCommand):
    help = (
        "Fill the database with a large, deterministic data set for benchmarks: articles with Chinese and English "
        "bodies, photos and attachments, organisations, people, offices with their councils, committees and "
        "member units. Refuses a database with content unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--organisations", type=int, default=500)
        parser.add_argument("--offices", type=int, default=12)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--images", type=int, default=4, help="Distinct cover and photo images (renditions made once)."
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes making articles (PostgreSQL; default: cores).",
        )
        parser.add_argument("--replace", action="store_true", help="Delete all existing content first.")

    def handle(self, *args, **options):
        started = time.monotonic()
        data = BenchData(
            articles=options["articles"],
            organisations=options["organisations"],
            offices=options["offices"],
            seed=options["seed"],
            images=max(1, options["images"]),
            jobs=max(1, options["jobs"]),
            progress=options["verbosity"] > 0,
            log=self.stdout.write,
        )
        try:
            data.generate(replace=options["replace"])
        except ContentExists as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Generated {options['articles']} articles, {len(data.organisations)} organisations and "
            f"{len(data.offices)} offices in {time.monotonic() - started:.0f} s."
        )
