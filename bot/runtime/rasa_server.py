"""``python -m bot.runtime.rasa_server run ...``: Rasa's command line with :mod:`bot.runtime.patches` applied."""

from __future__ import annotations

import sys


def main() -> None:
    from bot.runtime import patches

    patches.apply_all()
    from bot.privacy.logs import mask_log_records

    mask_log_records()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
