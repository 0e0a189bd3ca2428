"""Virtuoso's SQL port (the one `isql` talks to), for its bulk loader: a minimal client over Virtuoso's own ODBC driver.

Why not the `isql-vt` program: it takes the password only as a command-line argument, where any
local user sees it in the process list. Virtuoso's ODBC driver (`virtodbcu_r.so`, Debian's
`libvirtodbc0`, which `virtuoso-opensource` depends on) is called here directly through ctypes,
without an ODBC driver manager: the password goes from the environment into the connection and
nowhere else. Only what the bulk loader needs: run a statement with text parameters, read the
rows of its answer as text.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Sequence
from pathlib import Path

from jixiao.stores.remote.dialects import EndpointError

# Where Debian's libvirtodbc0 puts the driver (thread-safe, Unicode build first).
DRIVER_PATHS = ("/usr/lib/x86_64-linux-gnu/odbc/virtodbcu_r.so", "/usr/lib/x86_64-linux-gnu/odbc/virtodbc_r.so",
                "/usr/lib/aarch64-linux-gnu/odbc/virtodbcu_r.so", "/usr/lib/odbc/virtodbcu_r.so", "/usr/local/lib/virtodbcu_r.so")
DRIVER_ENV = "JIXIAO_VIRTUOSO_ODBC_DRIVER"  # another location of virtodbc*_r.so

# ODBC constants (sql.h / sqlext.h)
_HANDLE_ENV, _HANDLE_DBC, _HANDLE_STMT = 1, 2, 3
_ATTR_ODBC_VERSION, _OV_ODBC3 = 200, 3
_SUCCESS, _SUCCESS_WITH_INFO, _NO_DATA = 0, 1, 100
_C_CHAR, _SQL_VARCHAR, _PARAM_INPUT = 1, 12, 1
_NULL_DATA = -1
_DRIVER_NOPROMPT = 0
_CLOSE = 0
_CELL_BYTES = 65536


def _driver() -> ctypes.CDLL:
    candidates = [os.environ[DRIVER_ENV]] if os.environ.get(DRIVER_ENV) else list(DRIVER_PATHS)
    for candidate in candidates:
        if Path(candidate).exists():
            return _declared(ctypes.CDLL(candidate))
    raise EndpointError(f"Virtuoso's ODBC driver (virtodbcu_r.so) was not found at {', '.join(candidates)}: install Debian's libvirtodbc0 "
                        f"(apt-get install libvirtodbc0, part of virtuoso-opensource) or set {DRIVER_ENV} to its path")


def _declared(lib: ctypes.CDLL) -> ctypes.CDLL:
    """The argument types of the calls used (SQLLEN and SQLULEN are 64-bit: an undeclared int would be passed as 32)."""
    pointer, short, ushort, length = ctypes.c_void_p, ctypes.c_short, ctypes.c_ushort, ctypes.c_long
    lib.SQLAllocHandle.argtypes = [short, pointer, ctypes.POINTER(pointer)]
    lib.SQLSetEnvAttr.argtypes = [pointer, ctypes.c_int, pointer, ctypes.c_int]
    lib.SQLDriverConnect.argtypes = [pointer, pointer, ctypes.c_char_p, short, ctypes.c_char_p, short, ctypes.POINTER(short), ushort]
    lib.SQLGetDiagRec.argtypes = [short, pointer, short, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_char_p, short, ctypes.POINTER(short)]
    lib.SQLBindParameter.argtypes = [pointer, ushort, short, short, short, ctypes.c_ulong, short, pointer, length, ctypes.POINTER(length)]
    lib.SQLExecDirect.argtypes = [pointer, ctypes.c_char_p, ctypes.c_int]
    lib.SQLNumResultCols.argtypes = [pointer, ctypes.POINTER(short)]
    lib.SQLFetch.argtypes = [pointer]
    lib.SQLGetData.argtypes = [pointer, ushort, short, pointer, length, ctypes.POINTER(length)]
    lib.SQLFreeStmt.argtypes = [pointer, ushort]
    lib.SQLFreeHandle.argtypes = [short, pointer]
    lib.SQLDisconnect.argtypes = [pointer]
    return lib


class VirtuosoSql:
    """One connection to Virtuoso's SQL port (`host:port`, as isql takes it) as `user`."""

    def __init__(self, address: str, user: str, password: str) -> None:
        self.address = address
        self.lib = _driver()
        self.env, self.dbc = ctypes.c_void_p(), ctypes.c_void_p()
        self.lib.SQLAllocHandle(_HANDLE_ENV, None, ctypes.byref(self.env))
        self.lib.SQLSetEnvAttr(self.env, _ATTR_ODBC_VERSION, ctypes.c_void_p(_OV_ODBC3), 0)
        self.lib.SQLAllocHandle(_HANDLE_DBC, self.env, ctypes.byref(self.dbc))
        settings = f"HOST={address};UID={user};PWD={password}".encode()
        written = ctypes.c_short()
        status = self.lib.SQLDriverConnect(self.dbc, None, settings, len(settings), None, 0, ctypes.byref(written), _DRIVER_NOPROMPT)
        if status not in (_SUCCESS, _SUCCESS_WITH_INFO):
            message = self._diagnostic(_HANDLE_DBC, self.dbc)
            self._free()
            raise EndpointError(f"Virtuoso SQL at {address}: cannot connect as {user}: {message} (is it the server's SQL port, the one isql uses "
                                "— ServerPort in [Parameters] of virtuoso.ini, 1111 by default — and are the user and password right?)")

    def _diagnostic(self, kind: int, handle: ctypes.c_void_p) -> str:
        state, native, text, length = ctypes.create_string_buffer(6), ctypes.c_int(), ctypes.create_string_buffer(2048), ctypes.c_short()
        if self.lib.SQLGetDiagRec(kind, handle, 1, state, ctypes.byref(native), text, len(text), ctypes.byref(length)) not in (_SUCCESS, _SUCCESS_WITH_INFO):
            return "no diagnostic"
        return f"{state.value.decode(errors='replace')}: {text.value.decode('utf-8', errors='replace')}"

    def execute(self, statement: str, parameters: Sequence[str] = ()) -> list[list[str | None]]:
        """Run one statement with `?` parameters bound as text; the rows of its result set (none for a call without one)."""
        handle = ctypes.c_void_p()
        self.lib.SQLAllocHandle(_HANDLE_STMT, self.dbc, ctypes.byref(handle))
        try:
            buffers = []  # kept alive until the statement ran
            for position, value in enumerate(parameters, start=1):
                data = value.encode()
                buffer, length = ctypes.create_string_buffer(data), ctypes.c_long(len(data))
                buffers.append((buffer, length))
                self.lib.SQLBindParameter(handle, position, _PARAM_INPUT, _C_CHAR, _SQL_VARCHAR, max(len(data), 1), 0, buffer, len(data) + 1,
                                          ctypes.byref(length))
            text = statement.encode()
            if self.lib.SQLExecDirect(handle, text, len(text)) not in (_SUCCESS, _SUCCESS_WITH_INFO, _NO_DATA):
                raise EndpointError(f"Virtuoso SQL at {self.address}: {self._diagnostic(_HANDLE_STMT, handle)} (in: {statement})")
            return self._rows(handle)
        finally:
            self.lib.SQLFreeHandle(_HANDLE_STMT, handle)

    def _rows(self, handle: ctypes.c_void_p) -> list[list[str | None]]:
        columns = ctypes.c_short()
        self.lib.SQLNumResultCols(handle, ctypes.byref(columns))
        rows: list[list[str | None]] = []
        cell, indicator = ctypes.create_string_buffer(_CELL_BYTES), ctypes.c_long()
        while columns.value and self.lib.SQLFetch(handle) in (_SUCCESS, _SUCCESS_WITH_INFO):
            row: list[str | None] = []
            for column in range(1, columns.value + 1):
                self.lib.SQLGetData(handle, column, _C_CHAR, cell, _CELL_BYTES, ctypes.byref(indicator))
                row.append(None if indicator.value == _NULL_DATA else cell.value.decode("utf-8", errors="replace"))
            rows.append(row)
        self.lib.SQLFreeStmt(handle, _CLOSE)
        return rows

    def _free(self) -> None:
        self.lib.SQLFreeHandle(_HANDLE_DBC, self.dbc)
        self.lib.SQLFreeHandle(_HANDLE_ENV, self.env)

    def close(self) -> None:
        self.lib.SQLDisconnect(self.dbc)
        self._free()

    def __enter__(self) -> VirtuosoSql:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
