"""Whether a checkpoint's write-ahead log lost committed transactions to damage.

SQLite reads a write-ahead log from its start up to the first frame whose
salts or checksum do not match, and ignores the rest without a word
(https://www.sqlite.org/fileformat2.html#walformat, sections 4.1 to 4.4):
a bad frame in the middle of the log silently drops every transaction
committed after it, and ``sktune show`` would list 8 of 20 finished
candidates. The salts say which frames the current log wrote (frames of an
earlier log, left past its end, carry other salts), so a frame of the
current log that fails its checksum, followed by another commit of the
current log, is damage. A bad last transaction is not: it is also what a
reader sees of a transaction the writer is still writing.

The log only holds data while a writer runs or after it was killed:
:meth:`CheckpointStore.close` moves it into the database file.
"""

import functools
import os
import struct

import numpy as np

_MAGIC_LE, _MAGIC_BE = 0x377F0682, 0x377F0683
_WAL_VERSION = 3007000
_HEADER = struct.Struct(">8I")
_FRAME = struct.Struct(">6I")
_MASK = 0xFFFFFFFF


def _checksum(data, byte_order, sums=(0, 0)):
    # SQLite's WAL checksum (section 4.3): a running pair over 32-bit words
    s0, s1 = sums
    words = struct.unpack(f"{byte_order}{len(data) // 4}I", data)
    for a, b in zip(words[0::2], words[1::2]):
        s0 = (s0 + a + s1) & _MASK
        s1 = (s1 + b + s0) & _MASK
    return s0, s1


@functools.lru_cache(maxsize=4)
def _powers(n):
    """``M**j mod 2**32`` for j < n, M = [[1, 1], [1, 2]], as uint64 arrays P[row][col]."""
    powers = np.empty((n, 2, 2), dtype=np.uint64)
    power = np.eye(2, dtype=np.uint64)
    step = np.array([[1, 1], [1, 2]], dtype=np.uint64)
    for j in range(n):
        powers[j] = power
        power = (step @ power) & _MASK
    powers.flags.writeable = False
    return powers


def _frame_sums(data, order, page_size, n_frames, offset):
    """What each frame adds to the running checksum: ``(M**m, C)`` per frame.

    A step of the checksum over words ``(a, b)`` is linear modulo 2**32:
    ``s -> M s + (a, a + b)``; over a frame's ``m`` steps,
    ``s -> M**m s + C``, so every frame's ``C`` is computed at once with
    numpy and only the frames are chained in Python (pure-Python steps took
    0.2 s per read of a 4 MB log, at every poll of the dashboard).
    """
    size = _FRAME.size + page_size
    frames = np.frombuffer(data, dtype=np.uint8, count=n_frames * size,
                           offset=offset).reshape(n_frames, size)
    covered = np.concatenate([frames[:, :8], frames[:, _FRAME.size:]], axis=1)
    words = covered.copy().view(f"{order}u4").astype(np.uint64)
    a, b = words[:, 0::2], words[:, 1::2]
    m = a.shape[1]
    # the k-th step's input is multiplied by M**(m - 1 - k)
    p = _powers(m + 1)
    after = p[m - 1::-1] if m else p[:0]
    u0, u1 = a, (a + b) & _MASK
    c0 = (u0 * after[:, 0, 0] + u1 * after[:, 0, 1]).sum(axis=1) & _MASK
    c1 = (u0 * after[:, 1, 0] + u1 * after[:, 1, 1]).sum(axis=1) & _MASK
    return [[int(v) for v in row] for row in p[m]], list(zip(c0.tolist(), c1.tolist()))


def _chained(power, c, sums):
    s0, s1 = sums
    return ((power[0][0] * s0 + power[0][1] * s1 + c[0]) & _MASK,
            (power[1][0] * s0 + power[1][1] * s1 + c[1]) & _MASK)


def _current_frames(data, size, salt1, salt2):
    """How many of the whole frames of ``data`` carry the current log's salts before
    the first that does not (the end of the current log).

    A log that SQLite restarted keeps the frames of the earlier one past the
    current one's end, up to the file's size (4 MB for a running search):
    checksumming them at every poll of the dashboard cost 20 ms
    (benchmarks/dashboard_polling.py).
    """
    n = len(data) // size
    # the salts are words 2 and 3 of a frame's header, always big-endian
    words = np.frombuffer(data, dtype=">u4", count=n * size // 4).reshape(n, size // 4)
    current = (words[:, 2] == salt1) & (words[:, 3] == salt2)
    return n if current.all() else int(current.argmin())


# path -> (file identity, log header, frames verified, running checksum after
# them) of the last check: a dashboard checks the log of a running search at
# every poll, and re-reading a 4 MB log cost 35 to 90 ms each time. Only whole
# committed transactions are remembered: SQLite may rewrite the frames of the
# transaction it is writing, never those of a committed one while the log's
# salts (in the header) stay the same.
_VERIFIED: dict[str, tuple[tuple[int, int], bytes, int, tuple[int, int]]] = {}


def wal_damage(path, incremental=False):
    """Describe damage of ``path``'s write-ahead log that drops committed transactions.

    Parameters
    ----------
    path : str
        The database file; its log is ``path + "-wal"``.
    incremental : bool, default=False
        Check only the frames after those this process found intact at its
        last check of the same log (same file, same header, so the same
        salts), as a reader polling a running search does. A frame damaged
        after it was checked is then not seen; a writer or a resume checks
        the whole log.

    Returns
    -------
    damage : str or None
        What is damaged and which transactions SQLite would drop, or ``None``
        for no log, an empty one or an intact one.

    Examples
    --------
    >>> import os, tempfile
    >>> from sktune.store._wal import wal_damage
    >>> print(wal_damage(os.path.join(tempfile.mkdtemp(), "search.db")))
    None
    """
    try:
        with open(path + "-wal", "rb") as f:
            identity = os.fstat(f.fileno())
            header = f.read(_HEADER.size)
            if len(header) < _HEADER.size:
                return None
            key = (identity.st_dev, identity.st_ino)
            known = _VERIFIED.get(path) if incremental else None
            if known is None or known[:2] != (key, header):
                known = (key, header, 0, None)
            magic, version, page_size, _, salt1, salt2, c1, c2 = _HEADER.unpack(header)
            size = _FRAME.size + page_size if 512 <= page_size <= 65536 else 0
            f.seek(_HEADER.size + known[2] * size)
            rest = f.read()
    except FileNotFoundError:
        return None
    if not rest and known[2] == 0:
        return None
    order = "<" if magic == _MAGIC_LE else ">"
    if (
        magic not in (_MAGIC_LE, _MAGIC_BE)
        or version != _WAL_VERSION
        or not (512 <= page_size <= 65536 and page_size & (page_size - 1) == 0)
        or _checksum(header[:24], order) != (c1, c2)
    ):
        # SQLite then ignores the whole log, with every frame after the header
        _VERIFIED.pop(path, None)
        return "its header is unreadable, and every transaction in it"
    first = known[2]
    n_new = _current_frames(rest, size, salt1, salt2)
    n_frames = first + n_new
    sums = known[3] or (c1, c2)
    power, adds = _frame_sums(rest, order, page_size, n_new, 0)
    for k in range(n_new):
        i = first + k
        _, commit, _, _, f1, f2 = _FRAME.unpack_from(rest, k * size)
        sums = _chained(power, adds[k], sums)
        if sums == (f1, f2):
            if commit:
                _VERIFIED[path] = (known[0], header, i + 1, sums)
            continue
        later = sum(_FRAME.unpack_from(rest, j * size)[1] != 0 for j in range(k + 1, n_new))
        if later:
            _VERIFIED.pop(path, None)
            return (
                f"frame {i + 1} of {n_frames} is unreadable, and the {later} transactions "
                "committed after it"
            )
        return None
    return None
