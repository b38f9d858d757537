"""``--data FILE``: the sub-commands on a Survey edition read from a UN Data Center CSV.

One option and two helpers shared by ``show``, ``rank``, ``gap``, ``outlook``,
``summary`` and ``uncertainty``: with ``--data FILE`` the file's edition (read by
:func:`egovindex.datasets.load_survey`) is the edition a single-edition command works on,
and is added to the history that ``show`` and ``outlook`` read (replacing an embedded
edition of the same year).
"""

from __future__ import annotations

import argparse

from egovindex.datasets import History, Survey, editions, load_history, load_survey
from egovindex.errors import InputError

__all__ = ["add_data_option", "history_from", "survey_from"]


def add_data_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--data FILE`` to a sub-command's parser."""
    parser.add_argument(
        "--data",
        metavar="FILE",
        help="a UN Data Center CSV as downloaded (e.g. a Survey edition newer than the "
        "embedded ones), used as the edition, or added to the history",
    )


def survey_from(args: argparse.Namespace) -> Survey:
    """The edition a command works on: ``--data FILE``, else ``--year``, else the latest.

    Raises
    ------
    InputError
        ``--year`` names another year than the ``--data`` file holds.
    """
    year = getattr(args, "year", None)
    data = getattr(args, "data", None)
    if data is None:
        return load_survey(year if year is not None else editions()[-1])
    survey = load_survey(data)
    if year is not None and year != survey.year:
        raise InputError(f"--year {year} but --data {data} holds the {survey.year} Survey")
    return survey


def history_from(args: argparse.Namespace) -> History:
    """Every embedded edition, plus the ``--data FILE`` edition when given."""
    data = getattr(args, "data", None)
    return load_history() if data is None else load_history(extra=[data])
