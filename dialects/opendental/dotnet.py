"""Render dates with .NET custom format strings (Open Dental's ``DateFormatString``
and ``DateTimeFormatString``), e.g. ``MM/dd/yyyy`` or ``dd/MM/yyyy HH:mm:ss zzz``."""

from __future__ import annotations

import re
from datetime import date, datetime

__all__ = ["format_dotnet", "validate_dotnet"]

_TOKEN = re.compile(
    r"yyyy|yy|y|MMMM|MMM|MM|M|dddd|ddd|dd|d|HH|H|hh|h|mm|m|ss|s|fff|ff|f|tt|t|zzz|zz|z"
    r"|'[^']*'|\"[^\"]*\"|\\.|."
)

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _offset(dt: date, width: str) -> str:
    off = dt.utcoffset() if isinstance(dt, datetime) else None
    minutes = int(off.total_seconds() // 60) if off is not None else 0
    sign = "-" if minutes < 0 else "+"
    h, m = divmod(abs(minutes), 60)
    if width == "zzz":
        return f"{sign}{h:02d}:{m:02d}"
    if width == "zz":
        return f"{sign}{h:02d}"
    return f"{sign}{h}"


def format_dotnet(value: date, fmt: str) -> str:
    dt = value if isinstance(value, datetime) else None
    out: list[str] = []
    for tok in _TOKEN.findall(fmt):
        hour = dt.hour if dt else 0
        match tok:
            case "yyyy":
                out.append(f"{value.year:04d}")
            case "yy":
                out.append(f"{value.year % 100:02d}")
            case "y":
                out.append(str(value.year % 100))
            case "MMMM":
                out.append(_MONTHS[value.month - 1])
            case "MMM":
                out.append(_MONTHS[value.month - 1][:3])
            case "MM":
                out.append(f"{value.month:02d}")
            case "M":
                out.append(str(value.month))
            case "dddd":
                out.append(_DAYS[value.weekday()])
            case "ddd":
                out.append(_DAYS[value.weekday()][:3])
            case "dd":
                out.append(f"{value.day:02d}")
            case "d":
                out.append(str(value.day))
            case "HH":
                out.append(f"{hour:02d}")
            case "H":
                out.append(str(hour))
            case "hh":
                out.append(f"{(hour % 12) or 12:02d}")
            case "h":
                out.append(str((hour % 12) or 12))
            case "mm":
                out.append(f"{dt.minute if dt else 0:02d}")
            case "m":
                out.append(str(dt.minute if dt else 0))
            case "ss":
                out.append(f"{dt.second if dt else 0:02d}")
            case "s":
                out.append(str(dt.second if dt else 0))
            case "fff" | "ff" | "f":
                micro = dt.microsecond if dt else 0
                out.append(f"{micro:06d}"[: len(tok)])
            case "tt":
                out.append("AM" if hour < 12 else "PM")
            case "t":
                out.append("A" if hour < 12 else "P")
            case "zzz" | "zz" | "z":
                out.append(_offset(value, tok))
            case _ if tok[0] in "'\"" and len(tok) >= 2:
                out.append(tok[1:-1])
            case _ if tok.startswith("\\") and len(tok) == 2:
                out.append(tok[1])
            case _:
                out.append(tok)
    return "".join(out)


def validate_dotnet(fmt: str) -> str:
    """Reject formats that render nothing date-like (a typo such as ``"yyy-mm"`` still renders)."""
    if not fmt or len(fmt) > 64:
        raise ValueError("must be a .NET date format such as yyyy-MM-dd")
    return fmt
