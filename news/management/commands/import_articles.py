from django.core.management.base import BaseCommand, CommandError

from news.legacy import CREATED, KEPT, UNCHANGED, UPDATED, LegacyFormatError, import_file

# What happened to a file, then what a dry run would do; {article} is the article and its title.
OUTCOMES = {
    CREATED: ("created {article} as a draft", "would create a draft {article}"),
    UPDATED: ("updated {article}", "would update {article}"),
    UNCHANGED: ("skipped: {article} was imported before and is unchanged", "would skip: {article} is unchanged"),
    KEPT: (
        "skipped: {article} differs from the file and was kept as it is (--update replaces it)",
        "would skip: {article} differs from the file (--update would replace it)",
    ),
}
SUMMARY_LABELS = {
    CREATED: "created",
    UPDATED: "updated",
    UNCHANGED: "unchanged",
    KEPT: "kept as edited",
    "failed": "failed",
}


class Command(BaseCommand):
    help = (
        "Import articles exported from the old site (title line, 新闻类别/浏览量 line, body, 文章来源 line). "
        "Each file is imported whole or not at all; new articles are drafts."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, save nothing.")
        parser.add_argument(
            "--update", action="store_true", help="Replace articles already imported that differ from their file."
        )
        parser.add_argument(
            "--old-address",
            default="",
            help="The article's address on the old site (with one FILE), e.g. /news/show-123.html: it will "
            "redirect to the article. A 原网址 line in the file does the same.",
        )

    def handle(self, *args, files, dry_run, update, old_address, **options):
        if old_address and len(files) != 1:
            raise CommandError("--old-address names the old address of one file; give one FILE.")
        totals = dict.fromkeys([*OUTCOMES, "failed"], 0)
        for path in files:
            try:
                result = import_file(path, dry_run=dry_run, update=update, old_address=old_address)
            except (LegacyFormatError, OSError) as error:
                totals["failed"] += 1
                reason = error.strerror if isinstance(error, OSError) else error
                self.stderr.write(self.style.ERROR(f"{path}: {reason}. Nothing of this file was saved."))
                continue
            totals[result.outcome] += 1
            self.report(path, result, dry_run)
        summary = ", ".join(f"{count} {SUMMARY_LABELS[name]}" for name, count in totals.items())
        self.stdout.write(("Dry run, nothing was saved: " if dry_run else "") + summary + ".")
        if totals["failed"]:
            raise CommandError(f"{totals['failed']} of {len(files)} files could not be imported.")

    def report(self, path, result, dry_run):
        parsed, article = result.parsed, result.article
        name = f"“{parsed.title}”"
        if not (dry_run and result.outcome == CREATED):
            name = f"article {article.pk} {name}"
        self.stdout.write(self.style.SUCCESS(f"{path}: " + OUTCOMES[result.outcome][dry_run].format(article=name)))
        if parsed.old_address:
            self.stdout.write(f"  old address {parsed.old_address} redirects to the article")
        category = f"{parsed.category} ({'new' if result.category_created else 'existing'})"
        self.stdout.write(f"  category {category}, {parsed.view_count} views, source {parsed.source}")
        self.stdout.write(
            f"  {len(parsed.paragraphs)} paragraphs, {len(parsed.captions)} captions, "
            f"{parsed.pinyin_removed} pinyin annotations removed, "
            f"{parsed.punctuation_converted} punctuation marks made full-width"
        )
        if parsed.captions:
            self.stdout.write("  captions, each an empty photo slot in the body (line: caption):")
            for block in parsed.captions:
                self.stdout.write(f"    {block.line}: {block.text}")
