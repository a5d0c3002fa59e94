"""Writing outputs: every file bkmap writes goes through :func:`atomic_path`.

An output is written to a temporary file beside its target and renamed onto it
only when complete, so no output is ever left half-written.

Spreadsheets and CSV files hold text from users' files, so every cell passes
one guard (:func:`spreadsheet_cell`) on its way out: text that a spreadsheet
would read as a formula is written as text.

Spatial layers for GIS (QGIS) go out as one GeoPackage (:func:`write_geopackage`)
or, for tools that need them, as shapefiles (:func:`write_shapefiles`), whose
10-character field names are mapped explicitly and listed in ``fields.csv``.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from bkmap._errors import BkmapError, InputError, ValidationError
from bkmap._version import __version__
from bkmap.i18n import check_lang, has, register, t
from bkmap.i18n import msg as _msg
from bkmap.notes import Note

if TYPE_CHECKING:
    import geopandas as gpd

log = logging.getLogger(__name__)

__all__ = [
    "FORMULA_START",
    "GEOPACKAGE_SUFFIXES",
    "HTML_SUFFIXES",
    "LOCK",
    "MANIFEST",
    "SHAPEFILE_FIELD_CHARS",
    "SHAPEFILE_TEXT_BYTES",
    "TABLE_OUTPUT_SUFFIXES",
    "OutputSet",
    "atomic_path",
    "check_suffix",
    "csv_cell",
    "is_formula_like",
    "number_format",
    "register_headers",
    "resolve_target",
    "shapefile_fields",
    "workbook_frame",
    "write_csv",
    "write_error",
    "write_geopackage",
    "write_shapefiles",
    "write_text",
    "write_workbook",
]

#: A text cell starting with one of these is read as a formula (or the start of one) by
#: Excel, LibreOffice and Google Sheets: ``=cmd|' /C calc'!A0``, ``+1+cmd|...``,
#: ``@SUM(...)``; tab and carriage return are in OWASP's list because some importers
#: strip them and then see the formula behind.
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

# A plain number such as "-12.5" or "+84" is not a formula: it stays as it is.
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def is_formula_like(value: object) -> bool:
    """Whether a spreadsheet would read ``value`` as a formula: text starting with ``= + - @``, tab or CR.

    Examples
    --------
    >>> is_formula_like("=HYPERLINK(1)"), is_formula_like("-5"), is_formula_like(-5)
    (True, False, False)
    """
    return (
        isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value)
    )


def csv_cell(value: object) -> object:
    """The CSV form of one cell: formula-like text gets a leading apostrophe (OWASP).

    Spreadsheets show the apostrophe and keep the text as text; :func:`bkmap.io.tables.read_table`
    removes it again when bkmap reads the file back.

    Examples
    --------
    >>> csv_cell("=1+1"), csv_cell("Xã A"), csv_cell(-1.5)
    ("'=1+1", 'Xã A', -1.5)
    """
    return "'" + value if is_formula_like(value) and isinstance(value, str) else value


def _map_text(frame: pd.DataFrame, cell: Callable[[object], object]) -> pd.DataFrame:
    """Return ``frame`` with ``cell`` applied to every text value and column name."""
    out = frame.copy()
    for i in range(out.shape[1]):
        series = out.iloc[:, i]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            out.isetitem(i, series.map(cell))
    out.columns = [cell(c) if isinstance(c, str) else c for c in out.columns]
    return out


def _xlsx_text(value: object) -> object:
    # openpyxl refuses the control characters XML 1.0 cannot hold (an escape sequence in a
    # name would stop the whole workbook): write them as visible \xNN escapes instead.
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value


#: Suffixes of the HTML pages bkmap writes (``map``, ``report``, ``compare``).
HTML_SUFFIXES: tuple[str, ...] = (".html", ".htm")

#: Suffixes of tables bkmap writes as CSV or as a workbook (``template``, ``units``).
TABLE_OUTPUT_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx")


def check_suffix(
    path: str | os.PathLike[str], suffixes: tuple[str, ...], *, option: str = "--out"
) -> Path:
    """Refuse an output path whose suffix does not match the format written there.

    Call it before any work, so a wrong name costs nothing.

    Raises
    ------
    ValidationError
        The suffix is not one of ``suffixes``.
    """
    target = Path(path)
    if target.suffix.lower() not in suffixes:
        kinds = _msg("word_or").join(suffixes)
        msg = _msg(
            "err_suffix",
            option=option,
            target=target,
            kinds=kinds,
            got=repr(target.suffix) if target.suffix else _msg("err_no_suffix"),
        )
        raise ValidationError(msg)
    return target


# ---------------------------------------------------------------------------- targets

_KINDS = (
    (stat.S_ISDIR, "write_kind_folder"),
    (stat.S_ISCHR, "write_kind_char"),
    (stat.S_ISBLK, "write_kind_block"),
    (stat.S_ISFIFO, "write_kind_fifo"),
    (stat.S_ISSOCK, "write_kind_socket"),
)


def _kind(mode: int) -> str:
    return _msg(next((key for test, key in _KINDS if test(mode)), "write_kind_other"))


def _umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    umask = os.umask(0o022)  # pragma: no cover - systems without /proc
    os.umask(umask)  # pragma: no cover
    return umask  # pragma: no cover


def resolve_target(path: str | os.PathLike[str]) -> tuple[Path, int | None]:
    """The file an output replaces, and its permission bits if it exists.

    A regular file is replaced. A symbolic link to a regular file is written
    *through*: its target is replaced and the link kept (a dangling link is
    refused, since its target could be anywhere). Anything else (a device such
    as ``/dev/null``, a FIFO, a socket, a folder) is refused, so bkmap never
    replaces what is not its file to replace.

    Raises
    ------
    InputError
        The path exists and is not a regular file, or a link to one.
    """
    target = Path(path)
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return target, None
    except OSError as exc:
        raise write_error(target, exc) from exc
    if stat.S_ISLNK(info.st_mode):
        real = Path(os.path.realpath(target))
        try:
            info = os.stat(real)
        except FileNotFoundError:
            msg = _msg("write_dangling_link", target=target, real=real)
            raise InputError(msg) from None
        if not stat.S_ISREG(info.st_mode):
            msg = _msg("write_link_not_file", target=target, real=real, kind=_kind(info.st_mode))
            raise InputError(msg)
        log.info("%s is a symbolic link: writing through it to %s", target, real)
        return real, stat.S_IMODE(info.st_mode)
    if not stat.S_ISREG(info.st_mode):
        msg = _msg("write_not_file", target=target, kind=_kind(info.st_mode))
        raise InputError(msg)
    return target, stat.S_IMODE(info.st_mode)


#: What to do about a failed write, by errno.
_WRITE_FIXES = {
    errno.ENOSPC: "write_fix_full",
    errno.EDQUOT: "write_fix_quota",
    errno.EACCES: "write_fix_denied",
    errno.EPERM: "write_fix_denied",
    errno.EROFS: "write_fix_read_only",
    errno.EFBIG: "write_fix_too_large",
    errno.ENOENT: "write_fix_no_folder",
}


def write_error(path: str | os.PathLike[str], exc: OSError) -> InputError:
    """A clear :class:`~bkmap._errors.InputError` for an output that cannot be written."""
    reason = exc.strerror or str(exc)
    fix = _msg(_WRITE_FIXES.get(exc.errno or 0, "write_fix_other"))
    return InputError(_msg("write_failed", path=path, reason=reason, fix=fix))


def _place(tmp: Path, target: Path, mode: int | None) -> None:
    """Give ``tmp`` the target's permissions (or a new file's) and rename it onto ``target``."""
    # mkstemp makes the file private (0600): keep an existing file's mode, and give a
    # new one the mode a plain open() would (0666 less the umask).
    os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
    os.replace(tmp, target)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success.

    An interrupted or failed write leaves ``path`` as it was and removes the
    temporary file, so no output is ever half-written. The target must be a
    regular file or not exist yet; a symbolic link is written through to its
    target (see :func:`resolve_target`). An existing file keeps its permissions;
    a new one gets those of the user's umask. A write that fails for lack of
    space or permission raises :class:`~bkmap._errors.InputError` naming the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    given = Path(path)
    if given.parent and not given.parent.is_dir():
        msg = _msg("err_no_folder", target=given, folder=given.parent)
        raise InputError(msg)
    target, mode = resolve_target(given)
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise write_error(given, exc) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        _place(tmp, target, mode)
        log.info("wrote %s", given)
    except BkmapError:
        raise
    except OSError as exc:
        raise write_error(given, exc) from exc
    finally:
        tmp.unlink(missing_ok=True)


# ---------------------------------------------------------------------------- output sets

#: The list of files a run wrote into a folder, so the next run can remove those it does not write.
MANIFEST = ".bkmap-outputs.json"

#: Held while a run writes a folder (holds the process id).
LOCK = ".bkmap.lock"

_STAGING = ".bkmap-staging-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except OSError:
        return False
    return True


class OutputSet:
    """Several outputs written as one unit: all of them, or none.

    Writers write into the paths that :meth:`path` hands out; when the ``with``
    block ends without an error every file is moved onto its target, and on
    any error nothing is moved and the staged files are removed.

    With a ``folder`` (``bkmap gaps --out DIR``, ``bkmap plan --out DIR``) the
    files are staged in a hidden folder inside it and the set is written as
    the folder's content: a lock file (:data:`LOCK`) stops two runs writing it
    at once (a lock left by a process that no longer runs is taken over, with a
    note), and a manifest (:data:`MANIFEST`) lists the files written, so the
    next run removes the files of this run that it does not write again. Files
    bkmap did not write are never touched. Without a folder, each file is
    staged beside its own target (``bkmap report --out X --excel Y``).

    Targets follow the rules of :func:`atomic_path`: only regular files are
    replaced, links are written through, permissions are kept.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with OutputSet(folder) as outputs:
    ...     _ = outputs.path("a.txt").write_text("a")
    ...     _ = outputs.path("b.txt").write_text("b")
    >>> sorted(p.name for p in folder.iterdir())
    ['.bkmap-outputs.json', 'a.txt', 'b.txt']
    """

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self.notes: list[Note] = []
        self.written: list[Path] = []
        self.removed: list[Path] = []
        self._staged: dict[Path, Path] = {}  # target -> staged file
        self._staging: Path | None = None
        self._lock: Path | None = None

    # -- entering: the folder, its lock and the staging area

    def __enter__(self) -> OutputSet:
        if self.folder is None:
            return self
        folder = self.folder
        if folder.exists() and not folder.is_dir():
            msg = _msg("err_not_folder", folder=folder)
            raise InputError(msg)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise write_error(folder, exc) from exc
        self._take_lock()
        try:
            # Staging folders left by a run that was killed: ours to clear, under the lock.
            for old in folder.glob(_STAGING + "*"):
                shutil.rmtree(old, ignore_errors=True)
            self._staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=folder))
        except OSError as exc:
            self._release_lock()
            raise write_error(folder, exc) from exc
        return self

    def _take_lock(self) -> None:
        assert self.folder is not None
        lock = self.folder / LOCK
        for _ in range(3):
            try:
                fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                try:
                    pid = int(lock.read_text().split()[0])
                except (OSError, ValueError, IndexError):
                    pid = None
                if pid is not None and _alive(pid):
                    msg = _msg("write_locked", folder=self.folder, pid=pid, lock=lock)
                    raise InputError(msg) from None
                self.notes.append(
                    Note(
                        "warning",
                        str(self.folder),
                        _msg("write_where_lock"),
                        _msg("write_lock_taken", lock=LOCK, pid=pid),
                    )
                )
                lock.unlink(missing_ok=True)
                continue
            except OSError as exc:
                raise write_error(lock, exc) from exc
            with os.fdopen(fd, "w") as handle:
                handle.write(f"{os.getpid()}\n")
            self._lock = lock
            return
        msg = _msg("write_no_lock", lock=lock, folder=self.folder)
        raise InputError(msg)

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.unlink(missing_ok=True)
            self._lock = None

    # -- writing

    def path(self, name: str | os.PathLike[str]) -> Path:
        """Where to write one output: a file ``name`` of the folder, or a target path.

        In a folder set, ``name`` is a plain file name. Write the file there
        (directly or with the writers of this module); it is moved onto its
        target when the set is complete.
        """
        if self.folder is not None:
            if self._staging is None:
                msg = "OutputSet.path() is only valid inside its with block"
                raise RuntimeError(msg)
            if Path(name).name != str(name) or str(name).startswith("."):
                msg = f"{name!r}: an output of a folder set is a plain file name"
                raise ValueError(msg)
            target = self.folder / name
            staged = self._staging / str(name)
        else:
            target = Path(name)
            if target.parent and not target.parent.is_dir():
                msg = _msg("err_no_folder", target=target, folder=target.parent)
                raise InputError(msg)
            resolve_target(target)  # refuse a device or a folder before any work
            try:
                fd, tmp_name = tempfile.mkstemp(
                    prefix=f".{target.name}.", suffix=".part", dir=target.parent
                )
            except OSError as exc:
                raise write_error(target, exc) from exc
            os.close(fd)
            staged = Path(tmp_name)
        self._staged[target] = staged
        return staged

    # -- leaving: move everything in, or nothing

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            if isinstance(error, OSError) and not isinstance(error, BkmapError):
                # A writer of the set could not write (a full disk): nothing is moved in.
                raise write_error(self._target_of(error.filename), error) from error
            if error is None:
                try:
                    self._commit()
                except BkmapError:
                    raise
                except OSError as exc:
                    raise write_error(self._target_of(exc.filename), exc) from exc
        finally:
            for staged in self._staged.values():
                staged.unlink(missing_ok=True)
            if self._staging is not None:
                shutil.rmtree(self._staging, ignore_errors=True)
            self._release_lock()

    def _target_of(self, filename: object) -> Path | str:
        """The output a staged file stands for (what an error should name)."""
        for target, staged in self._staged.items():
            if filename is not None and Path(str(filename)) == staged:
                return target
        if filename:
            return str(filename)
        return self.folder if self.folder is not None else _msg("write_the_outputs")

    def _commit(self) -> None:
        # First every check and every copy that can fail, then only renames.
        moves: list[tuple[Path, Path, Path, int | None]] = []
        for target, staged in self._staged.items():
            if self.folder is not None and not staged.exists():
                continue  # a writer that had nothing to write
            real, mode = resolve_target(target)
            if real.parent.resolve() != staged.parent.resolve():
                # A link to another folder: stage a copy beside the real file, so the
                # final step is a rename within one file system.
                fd, tmp_name = tempfile.mkstemp(
                    prefix=f".{real.name}.", suffix=".part", dir=real.parent
                )
                os.close(fd)
                shutil.copyfile(staged, tmp_name)
                staged.unlink()
                staged = Path(tmp_name)
                self._staged[target] = staged
            moves.append((target, real, staged, mode))
        for target, real, staged, mode in moves:
            _place(staged, real, mode)
            self.written.append(target)
            log.info("wrote %s", target)
        if self.folder is not None:
            self._tidy()

    def _tidy(self) -> None:
        """Remove what the previous run wrote and this one did not; record this run."""
        assert self.folder is not None
        manifest = self.folder / MANIFEST
        names = sorted(t.name for t in self.written)
        previous: list[str] = []
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
            previous = [str(n) for n in json.loads(manifest.read_text(encoding="utf-8"))["files"]]
        for name in previous:
            if name in names or Path(name).name != name or name.startswith("."):
                continue
            stale = self.folder / name
            with contextlib.suppress(OSError):
                if stat.S_ISREG(os.lstat(stale).st_mode):
                    stale.unlink()
                    self.removed.append(stale)
                    log.info("removed %s, written by the previous run and not by this one", stale)
        record = {"bkmap": __version__, "files": names}
        with atomic_path(manifest) as tmp:
            tmp.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``frame`` as UTF-8 CSV (with BOM, so Excel shows Vietnamese) atomically.

    Formula-like text (see :func:`csv_cell`) gets a leading apostrophe, headers included.
    Lines end in CRLF (RFC 4180), so a carriage return inside a cell is quoted too.
    """
    safe = _map_text(frame, csv_cell)
    with atomic_path(path) as tmp:
        safe.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return Path(path)


# ----------------------------------------------------------------------------- workbooks
# A workbook is for people: headers, sheet names and class values in the reader's language,
# numbers with their formats. A CSV file is for programs and keeps the machine names.

#: Headers of machine column names that several workbooks share (``col_<name>`` in the catalogue).
_HEADERS: dict[str, dict[str, str]] = {
    "code": {"vi": "Mã ĐVHC", "en": "GSO code"},
    "name": {"vi": "Tên đơn vị", "en": "Name"},
    "district": {"vi": "Huyện", "en": "District"},
    "district_code": {"vi": "Mã huyện", "en": "District code"},
    "commune_code": {"vi": "Mã xã", "en": "Commune code"},
    "unit_type": {"vi": "Loại đơn vị", "en": "Unit type"},
    "c8": {"vi": "Tiêu chí 8", "en": "Criterion 8"},
    "population": {"vi": "Dân số (2019)", "en": "Population (2019)"},
    "note": {"vi": "Ghi chú", "en": "Note"},
    "lon": {"vi": "Kinh độ", "en": "Longitude"},
    "lat": {"vi": "Vĩ độ", "en": "Latitude"},
    "version": {"vi": "Phiên bản", "en": "Version"},
    "valid_from": {"vi": "Hiệu lực từ", "en": "Valid from"},
    "valid_to": {"vi": "Hiệu lực đến", "en": "Valid to"},
    "units": {"vi": "Số đơn vị", "en": "Units"},
    "xa": {"vi": "Số xã", "en": "Xã"},
    "phuong": {"vi": "Số phường", "en": "Phường"},
    "thi_tran": {"vi": "Số thị trấn", "en": "Thị trấn"},
    "units_whole_province": {"vi": "Số đơn vị (cả tỉnh)", "en": "Units (whole province)"},
    "description": {"vi": "Mô tả", "en": "Description"},
    "source": {"vi": "Nguồn", "en": "Source"},
    "from_bac_kan": {"vi": "Thuộc Bắc Kạn cũ", "en": "From former Bắc Kạn"},
    "approximate": {"vi": "Gần đúng", "en": "Approximate"},
    "approx_note": {"vi": "Ghi chú gần đúng", "en": "Approximation note"},
    "named": {"vi": "Xã được nêu tên", "en": "Communes named"},
    "conflicting": {"vi": "Nguồn mâu thuẫn", "en": "Sources conflict"},
}
register({f"col_{k}": v for k, v in _HEADERS.items()})
register(
    {
        "wb_yes": {"vi": "có", "en": "yes"},
        "wb_no": {"vi": "không", "en": "no"},
        "wb_sheet_units": {"vi": "Đơn vị hành chính", "en": "Units"},
        "wb_sheet_versions": {"vi": "Các phiên bản", "en": "Versions"},
        "wb_source": {"vi": "nguồn", "en": "source"},
        "wb_confidence": {"vi": "mức tin cậy", "en": "confidence"},
    }
)

#: Header text (either language) -> machine name, for frames whose caller named the columns.
_MACHINE: dict[str, str] = {}

_STATUS_VALUES = ("met", "not_met", "unknown", "conflicting", "not_applicable")
_CONFIDENCE_VALUES = ("stated", "inferred")
# Machine names of costs in VND, and of numbers that are not quantities (no thousands mark).
_NOT_QUANTITY = ("rank", "year", "site_id")


def register_headers(headers: Mapping[str, Mapping[str, str]]) -> None:
    """Make a module's own headers (machine name -> {language: text}) known to the writer.

    :func:`write_workbook` then knows that a column headed ``Chi phí (đồng)`` holds
    ``cost_vnd`` and gives it the currency format.
    """
    for name, texts in headers.items():
        for text in texts.values():
            _MACHINE.setdefault(text, name)


register_headers(_HEADERS)


def _machine_name(header: object) -> str:
    text = str(header)
    if text not in _MACHINE:
        # Headers the report and others keep in the catalogue (rpt_col_<name>, col_<name>).
        from bkmap.i18n import catalogue

        for key, texts in catalogue().items():
            for prefix in ("col_", "rpt_col_"):
                if key.startswith(prefix) and text in texts.values():
                    _MACHINE[text] = key.removeprefix(prefix)
    return _MACHINE.get(text, text)


def _header(name: str, lang: str) -> str:
    """The workbook header of the machine column ``name`` in ``lang`` (``name`` if none is known)."""
    # Lazy: the criteria bring pandas rules this module need not load for CSV-only callers.
    from bkmap.model.criteria import INDICATORS

    if has(f"col_{name}"):
        return t(f"col_{name}", lang)
    for ind in INDICATORS:
        head = f"{t('indicator', lang)} {ind.key}"
        if name == ind.column:
            return head
        if name == ind.source_column:
            return f"{head}: {t('wb_source', lang)}"
        if name == ind.confidence_column:
            return f"{head}: {t('wb_confidence', lang)}"
    return name


def workbook_frame(frame: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """Return ``frame`` as a workbook shows it: headers and class values in ``lang``.

    Machine column names (``commune_code``, ``c8_3``) become readable headers; a
    column of class values (``met``, ``not_met``, ...) shows them as the map does
    (``Đạt``, ``Chưa đạt``); ``stated``/``inferred`` and true/false are translated
    too. Numbers stay numbers (see :func:`number_format`). Headers a caller already
    translated are kept.

    Examples
    --------
    >>> f = workbook_frame(pd.DataFrame({"commune_code": ["01870"], "c8_3": ["not_met"]}), "vi")
    >>> list(f.columns), f.iloc[0].tolist()
    (['Mã xã', 'Chỉ tiêu 8.3'], ['01870', 'Chưa đạt'])
    """
    lang = check_lang(lang)
    out = pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).copy()
    for i in range(out.shape[1]):
        series = out.iloc[:, i]
        if series.dtype == bool:
            out.isetitem(i, series.map({True: t("wb_yes", lang), False: t("wb_no", lang)}))
            continue
        if not (series.dtype == object or pd.api.types.is_string_dtype(series)):
            continue
        values = {v for v in series.dropna().unique() if isinstance(v, str) and v}
        if not values:
            continue
        for known in (_STATUS_VALUES, _CONFIDENCE_VALUES):
            if values <= set(known):
                out.isetitem(i, series.map(lambda v, k=known: t(v, lang) if v in k else v))
                break
    out.columns = [_header(str(c), lang) if isinstance(c, str) else c for c in out.columns]
    return out


def number_format(name: str, values: pd.Series, lang: str | None = None) -> str | None:
    """The Excel number format of a numeric column, by its machine name; None for text.

    Shares (``*_share``) are percentages, costs (``*_vnd``) are đồng with thousands
    marks, other whole numbers get thousands marks, fractions up to three decimals.
    Excel shows the marks in the reader's own locale (``416.666.666 ₫`` in Vietnamese).

    Examples
    --------
    >>> number_format("cost_vnd", pd.Series([416666666]), "vi")
    '#,##0 "₫"'
    >>> number_format("covered_area_share", pd.Series([0.25])), number_format("population", pd.Series([5495]))
    ('0.0%', '#,##0')
    """
    if values.dtype == bool or not pd.api.types.is_numeric_dtype(values):
        return None
    name = _machine_name(name)
    finite = values.dropna()
    if name.endswith("_share") and finite.between(0, 1).all():
        return "0.0%"
    if (name.endswith("_vnd") and name != "per_billion_vnd") or name in ("cost", "budget"):
        return '#,##0 "₫"' if check_lang(lang) == "vi" else '#,##0 "VND"'
    if name in _NOT_QUANTITY:
        return "0"
    if pd.api.types.is_integer_dtype(values) or (finite == finite.round()).all():
        return "#,##0"
    return "#,##0.0##"


def write_workbook(
    sheets: Mapping[str, pd.DataFrame],
    path: str | os.PathLike[str],
    *,
    max_width: int = 60,
    lang: str | None = None,
    translate: bool = True,
) -> Path:
    """Write frames as sheets of one .xlsx file, in ``lang`` (Vietnamese by default).

    Each sheet has a bold header row that stays in view (frozen) and carries an
    autofilter; widths fit the content; numbers carry formats (:func:`number_format`).
    With ``translate`` (the default) machine headers and class values are shown in
    ``lang`` (:func:`workbook_frame`); a template meant to be read back keeps its
    headers with ``translate=False``.

    The caller makes the write atomic (see :func:`atomic_path`). Every text cell is
    stored as text: formula-like text (:func:`is_formula_like`) and text that reads as
    an error code (``#N/A``) are typed as strings with Excel's quote prefix, so no
    cell is a formula; control characters XML cannot hold are written as ``\\xNN``.
    """
    lang = check_lang(lang)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, given in sheets.items():
            sheet_name = (t(f"wb_sheet_{name}", lang) if has(f"wb_sheet_{name}") else name)[:31]
            machine = pd.DataFrame(given.drop(columns="geometry", errors="ignore"))
            shown = workbook_frame(machine, lang) if translate else machine
            frame = _map_text(shown, _xlsx_text)
            frame.to_excel(writer, sheet_name=sheet_name, index=False)
            ws = writer.sheets[sheet_name]
            _as_text(ws, frame)
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = f"A1:{get_column_letter(max(1, frame.shape[1]))}{len(frame) + 1}"
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for i, column in enumerate(frame.columns, start=1):
                values = [str(column), *(str(v) for v in frame[column].head(500))]
                width = min(max_width, max(len(v) for v in values) + 2)
                ws.column_dimensions[get_column_letter(i)].width = width
                fmt = number_format(str(machine.columns[i - 1]), machine.iloc[:, i - 1], lang)
                if fmt is not None:
                    for row in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                        row[0].number_format = fmt
    return Path(path)


def _as_text(ws: object, frame: pd.DataFrame) -> None:
    """Type the cells of ``frame`` that openpyxl would make formulas or errors as text."""

    def risky(value: object) -> bool:
        return is_formula_like(value) or (isinstance(value, str) and value in ERROR_CODES)

    cells = [(1, j) for j, c in enumerate(frame.columns, start=1) if risky(c)]
    for j in range(frame.shape[1]):
        column = frame.iloc[:, j]
        if not (column.dtype == object or pd.api.types.is_string_dtype(column)):
            continue
        hits = column.map(risky).to_numpy(dtype=bool).nonzero()[0]
        cells += [(int(i) + 2, j + 1) for i in hits]  # row 1 is the header
    for row, col in cells:
        cell = ws.cell(row=row, column=col)  # type: ignore[attr-defined]
        cell.data_type = "s"
        cell.quotePrefix = True


# ---------------------------------------------------------------------------- GIS layers

#: Suffix of the GeoPackage bkmap writes (``export``, ``gaps``, ``plan``).
GEOPACKAGE_SUFFIXES: tuple[str, ...] = (".gpkg",)

#: Longest field name a shapefile (dBASE) holds.
SHAPEFILE_FIELD_CHARS: int = 10

#: Longest text value a shapefile field holds, in bytes of its encoding (UTF-8 here).
SHAPEFILE_TEXT_BYTES: int = 254


def _gis_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with values every GIS format holds: lists and other objects as text."""
    # Lazy: `bkmap units` and `bkmap --help` write tables and must start without geopandas.
    import geopandas as gpd

    out = frame.copy()
    geometry = out.geometry.name if isinstance(out, gpd.GeoDataFrame) else None
    for column in out.columns:
        if column == geometry:
            continue
        series = out[column]
        if series.dtype == object:
            out[column] = series.map(_gis_text).astype("str")
    return out


def _gis_text(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, list | tuple | set):
        return ";".join(str(v) for v in value)
    return value if isinstance(value, str) else str(value)


def _geometry_type(frame: gpd.GeoDataFrame, given: str | None = None) -> str:
    """The one geometry type of a layer (polygons promoted to multi); ``given`` when it is empty."""
    kinds = set(frame.geometry.dropna().geom_type)
    if not kinds and given:
        return given
    if kinds <= {"Polygon", "MultiPolygon"} and kinds:
        return "MultiPolygon"
    if kinds <= {"Point"} and kinds:
        return "Point"
    # An empty layer, or a mix: GDAL's generic type, which every reader accepts.
    return next(iter(kinds)) if len(kinds) == 1 else "Unknown"


def write_geopackage(
    layers: Mapping[str, pd.DataFrame],
    path: str | os.PathLike[str],
    *,
    geometry_types: Mapping[str, str] | None = None,
) -> Path:
    """Write frames as the layers of one GeoPackage, atomically, and return its path.

    A :class:`~geopandas.GeoDataFrame` becomes a spatial layer in its own CRS
    (polygons as multipolygons, so one layer holds one type, as QGIS wants); a
    plain frame becomes an attribute table. Lists (source ids) are written as
    ``;``-joined text. The file is written to a temporary name beside ``path``
    and renamed onto it when every layer is in (see :func:`atomic_path`).
    ``geometry_types`` gives the type of a layer that may be empty (a plan
    that chooses nothing is still a polygon layer), by layer name.
    """
    # Lazy: `bkmap units` and `bkmap --help` write tables and must start without geopandas.
    import geopandas as gpd
    import pyogrio

    with atomic_path(path) as tmp:
        # GDAL creates the file itself, and wants a .gpkg name (else it warns that
        # the file does not conform): write beside the temporary file, then take its place.
        work = tmp.with_name(tmp.name + ".gpkg")
        try:
            for name, frame in layers.items():
                data = _gis_frame(frame)
                options: dict[str, object] = {}
                if isinstance(data, gpd.GeoDataFrame):
                    kind = _geometry_type(data, (geometry_types or {}).get(name))
                    options = {"geometry_type": kind, "promote_to_multi": kind == "MultiPolygon"}
                pyogrio.write_dataframe(
                    data, work, layer=name, driver="GPKG", append=work.exists(), **options
                )
            os.replace(work, tmp)
        finally:
            work.unlink(missing_ok=True)
    return Path(path)


def shapefile_fields(columns: list[str] | pd.Index) -> dict[str, str]:
    """Map each column name to a unique shapefile field name of at most 10 characters.

    A name that fits is kept; a longer one is cut to 10 characters, and when two
    cut names meet, the later one ends in a number (``c8_3_sourc``, ``c8_3_sour1``).
    The mapping is written beside the shapefiles as ``fields.csv``, so nothing
    depends on GDAL's own silent renaming.

    Examples
    --------
    >>> shapefile_fields(["code", "c8_3_source", "c8_3_sources_text"])
    {'code': 'code', 'c8_3_source': 'c8_3_sourc', 'c8_3_sources_text': 'c8_3_sour1'}
    """
    out: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        name = str(column)
        short = name[:SHAPEFILE_FIELD_CHARS]
        n = 0
        while short.lower() in taken:
            n += 1
            tail = str(n)
            short = name[: SHAPEFILE_FIELD_CHARS - len(tail)] + tail
        taken.add(short.lower())
        out[name] = short
    return out


def _cut_utf8(value: object) -> tuple[object, bool]:
    if not isinstance(value, str):
        return value, False
    raw = value.encode("utf-8")
    if len(raw) <= SHAPEFILE_TEXT_BYTES:
        return value, False
    return raw[:SHAPEFILE_TEXT_BYTES].decode("utf-8", errors="ignore"), True


def write_shapefiles(
    layers: Mapping[str, pd.DataFrame],
    path: str | os.PathLike[str],
    *,
    geometry_types: Mapping[str, str] | None = None,
) -> tuple[Path, list[Note]]:
    """Write frames as shapefiles, one per layer, into a folder or a ``.zip``, atomically.

    Spatial layers become ``NAME.shp`` (with ``.shx``, ``.dbf``, ``.prj`` and a
    ``.cpg`` saying UTF-8); attribute tables, which a shapefile cannot hold,
    become ``NAME.csv``. ``fields.csv`` (columns ``layer, field, shp_field,
    file``) lists every layer's field names and the names used in its file: at
    most 10 characters in a shapefile (see :func:`shapefile_fields`), whole in a CSV.
    Text longer than a shapefile holds (254 bytes) is cut, and a note says
    which layer and field lost text (the GeoPackage keeps it whole).

    ``path`` ending in ``.zip`` gets one zip file; any other path a folder,
    which is written beside its target and renamed onto it (an existing folder
    is replaced only if bkmap wrote it, i.e. it holds ``fields.csv``).
    ``geometry_types``: as in :func:`write_geopackage`.

    Returns
    -------
    tuple
        The path written and the notes on what the format cut.
    """
    # Lazy: `bkmap units` and `bkmap --help` write tables and must start without geopandas.
    import geopandas as gpd
    import pyogrio

    target = Path(path)
    notes: list[Note] = []
    if target.parent and not target.parent.is_dir():
        msg = _msg("err_no_folder", target=target, folder=target.parent)
        raise InputError(msg)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        rows = []
        for name, frame in layers.items():
            data = _gis_frame(frame)
            geometry = data.geometry.name if isinstance(data, gpd.GeoDataFrame) else None
            columns = [c for c in data.columns if c != geometry]
            if not isinstance(data, gpd.GeoDataFrame):
                # A CSV keeps its names whole: listed too, so fields.csv names every file.
                rows += [
                    {"layer": name, "field": c, "shp_field": c, "file": f"{name}.csv"}
                    for c in columns
                ]
                write_csv(data, staging / f"{name}.csv")
                continue
            fields = shapefile_fields(columns)
            rows += [
                {"layer": name, "field": f, "shp_field": s, "file": f"{name}.shp"}
                for f, s in fields.items()
            ]
            cut: list[str] = []
            for column in fields:
                series = data[column]
                if series.dtype == object or pd.api.types.is_string_dtype(series):
                    pairs = series.map(_cut_utf8)
                    if pairs.map(lambda p: p[1]).any():
                        cut.append(column)
                        data[column] = pairs.map(lambda p: p[0]).astype(series.dtype)
            if cut:
                notes.append(
                    Note(
                        "warning",
                        str(target),
                        f"{name}.shp",
                        _msg(
                            "write_shapefile_cut",
                            bytes=SHAPEFILE_TEXT_BYTES,
                            columns=", ".join(cut),
                        ),
                        _msg("write_fix_shapefile_cut"),
                    )
                )
            data = data.rename(columns=fields)
            kind = _geometry_type(data, (geometry_types or {}).get(name))
            pyogrio.write_dataframe(
                data,
                staging / f"{name}.shp",
                driver="ESRI Shapefile",
                encoding="UTF-8",
                geometry_type=kind,
                promote_to_multi=kind == "MultiPolygon",
            )
        write_csv(
            pd.DataFrame(rows, columns=["layer", "field", "shp_field", "file"]),
            staging / "fields.csv",
        )
        if target.suffix.lower() == ".zip":
            with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
                for file in sorted(staging.iterdir()):
                    zf.write(file, arcname=file.name)
        else:
            _replace_folder(staging, target)
    except OSError as exc:
        if isinstance(exc, BkmapError):
            raise
        raise write_error(target, exc) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("wrote %s", target)
    return target, notes


def _replace_folder(staging: Path, target: Path) -> None:
    """Move a finished folder onto ``target``: only a new path or a folder bkmap wrote."""
    if target.exists() or target.is_symlink():
        if not target.is_dir() or target.is_symlink() or not (target / "fields.csv").is_file():
            msg = _msg("write_not_shapefile_folder", target=target)
            raise InputError(msg)
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
        os.replace(target, old / target.name)
        try:
            os.replace(staging, target)
        except OSError:
            os.replace(old / target.name, target)
            raise
        finally:
            shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, target)
    os.chmod(target, 0o777 & ~_umask())
