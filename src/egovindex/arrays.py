"""Array-API plumbing: the namespace of an array, moving arrays between host and device.

The Monte Carlo core is written against the Python array API standard. NumPy arrays
are handled with NumPy itself (NumPy 2 implements the standard); any other library
(CuPy, PyTorch, JAX, array-api-strict) goes through ``array_api_compat``, an optional
dependency imported only when such an array is given.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from egovindex.errors import InputError

__all__ = ["device_of", "from_numpy", "is_numpy", "namespace", "to_numpy"]


_NUMPY_2 = int(np.__version__.split(".")[0]) >= 2


def is_numpy(x: Any) -> bool:
    """Whether ``x`` is a NumPy array (the default, fast path)."""
    return isinstance(x, np.ndarray)


def namespace(x: Any) -> Any:
    """The array-API namespace of ``x``.

    Raises
    ------
    InputError
        ``x`` is not a NumPy array and ``array_api_compat`` is not installed, or ``x``
        is no array at all.
    """
    if is_numpy(x) and _NUMPY_2:
        return np  # NumPy 2 is an array-API namespace; array_api_compat costs 0.1 s to import
    try:
        from array_api_compat import array_namespace
    except ImportError:
        raise InputError(
            "arrays other than NumPy's need the optional package array-api-compat "
            "(pip install 'egovindex[arrays]')"
        ) from None
    try:
        return array_namespace(x)
    except TypeError as exc:
        raise InputError(f"not an array of an array-API library: {type(x).__name__}") from exc


def device_of(x: Any) -> Any:
    """The device ``x`` lives on (``"cpu"`` for NumPy)."""
    if is_numpy(x):
        return "cpu"
    from array_api_compat import device

    return device(x)


def from_numpy(xp: Any, values: Any, like: Any) -> Any:
    """Copy host ``values`` into namespace ``xp`` on the device of ``like``."""
    if is_numpy(like):
        return np.asarray(values)
    return xp.asarray(np.ascontiguousarray(values), device=device_of(like))


def to_numpy(x: Any) -> NDArray[Any]:
    """Copy ``x`` to a NumPy array on the host, from any array-API library."""
    if is_numpy(x):
        arr: NDArray[Any] = x
        return arr
    if isinstance(x, np.generic | int | float | bool):
        return np.asarray(x)
    module = type(x).__module__.split(".")[0]
    if module == "cupy":  # pragma: no cover - needs a GPU
        return np.asarray(x.get())
    if module == "torch":
        return np.asarray(x.detach().cpu().numpy())
    try:
        return np.asarray(np.from_dlpack(x))
    except (TypeError, RuntimeError, BufferError, AttributeError):  # pragma: no cover
        return np.asarray(x)
