"""The top-level EGDI formula rejects components outside [0, 1], save 2003's HCI."""

from __future__ import annotations

import pytest

import egovindex as eg
from egovindex.errors import InputError


@pytest.mark.parametrize(
    ("osi", "tii", "hci", "label"),
    [(1.2, 0.5, 0.5, "OSI 1.2"), (0.5, 1.0001, 0.5, "TII 1.0001"), (0.5, 0.5, 1.03, "HCI 1.03")],
)
def test_component_above_one_is_an_error(osi: float, tii: float, hci: float, label: str) -> None:
    name, value = label.split()
    with pytest.raises(InputError, match=rf"{name} value {value} is above 1.*2024 Survey"):
        eg.egdi(osi, tii, hci, edition=2024)


def test_2003_hci_above_one_is_accepted_as_published() -> None:
    # UN E-Government Survey 2003 (Data Center export, methodology A.1.2): Micronesia has
    # OSI 0.11790, TII 0.03955, HCI 1.42200 and EGDI 0.52648.
    fsm = eg.load_survey(2003).country("FSM")
    assert fsm.hci == 1.422
    value = float(eg.egdi(fsm.osi, fsm.tii, fsm.hci, edition=2003))
    assert abs(value - fsm.egdi) <= 0.5e-5
    with pytest.raises(InputError, match=r"TII value 1\.5 is above 1"):
        eg.egdi(0.5, 1.5, 0.5, edition=2003)
