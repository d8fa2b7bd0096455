from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark's data generator (`generate_bench_data`), installed by bench.settings only."""

    name = "bench"
    verbose_name = "Benchmark"
