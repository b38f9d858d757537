"""Input and output at the edge of the library: files in, panels out.

- :func:`read_raw_csv`: a raw-indicator CSV (one row per country) into a
  :class:`~egovindex.panel.Panel` for a UN Survey edition, with errors that name the row,
  country and column;
- :func:`synthetic_raw_csv`: the shipped synthetic 193-country raw panel;
- :func:`un_member_codes`: the ISO3 codes of the 193 UN Member States;
- :mod:`egovindex.io.tables`: ``.xlsx`` workbooks read as CSV text
  (:func:`open_table`), decimal commas (:func:`parse_number`), and the atomic writer of
  every ``--out`` file (:func:`write_table`), which neutralises formula-like text.
"""

from egovindex.io.raw_csv import CellRule, Source, read_raw_csv, synthetic_raw_csv, un_member_codes
from egovindex.io.tables import open_table, parse_number, write_table

__all__ = [
    "CellRule",
    "Source",
    "open_table",
    "parse_number",
    "read_raw_csv",
    "synthetic_raw_csv",
    "un_member_codes",
    "write_table",
]
