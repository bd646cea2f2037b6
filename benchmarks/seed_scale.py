"""Time ``seed_demo --providers N`` app by app (the same seeds, in the same order as the
command) and write benchmarks/results/seed_<N>.json.

    python benchmarks/seed_scale.py --providers 20000
"""

import argparse
import sys
import time
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import database_label, peak_memory_mb, setup_django, write_result  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--providers", type=int, required=True)
    args = parser.parse_args()
    setup_django("oems_portal.settings")
    from django.apps import apps
    from django.core.management.base import OutputWrapper
    from django.test.utils import override_settings

    from providers.models import Provider

    before = Provider.objects.count()
    steps, total = [], time.perf_counter()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for app_config in apps.get_app_configs():
            try:
                module = import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app_config.name}.demo":
                    raise
                continue
            started = time.perf_counter()
            module.seed(stdout=OutputWrapper(sys.stdout), providers=args.providers)
            steps.append(
                {"app": app_config.label, "seconds": round(time.perf_counter() - started, 1)}
            )
    seconds = time.perf_counter() - total
    data = {
        "providers": args.providers,
        "providers_before": before,
        "providers_after": Provider.objects.count(),
        "database": database_label(),
        "seconds": round(seconds, 1),
        "apps": steps,
        "peak_memory_mb": peak_memory_mb(),
    }
    write_result(f"seed_{args.providers}", data)
    print(data)


if __name__ == "__main__":
    main()
