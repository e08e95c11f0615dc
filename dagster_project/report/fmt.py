"""Numbers and dates in the reader's language, with Babel (CLDR): Latvian uses a decimal comma and a
(non-breaking) space between thousands; English a point and a comma."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LOCALES = {"lv": "lv_LV", "en": "en_GB"}
#: Decimals shown per kind of value (the data attribute keeps the full public value).
DECIMALS = {"count": 0, "rate": 1, "share": 1, "pct": 1, "mean": 1, "nights": 0, "score": 1, "eur": 0, "eur_day": 2, "pp": 1, "number": 0}


def rounded(value: float, decimals: int, scale: int = 1) -> Decimal:
    """Half up, on the value as written (0.9965 as a percent is 99.65 -> 99.7), as statistical tables round."""
    return (Decimal(str(value)) * scale).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value: float | Decimal, lang: str, decimals: int = 0) -> str:
    value = rounded(value, decimals)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALES[lang])


def percent_sign(text: str, lang: str) -> str:
    return f"{text}\u00a0%" if lang == "lv" else f"{text}%"


def value(value: float, kind: str, lang: str) -> str:
    """A public value as printed: shares (0-1) times 100, currency with the euro sign."""
    decimals = DECIMALS[kind]
    if kind == "share":
        return percent_sign(number(rounded(value, decimals, 100), lang, decimals), lang)
    if kind == "pp":  # a difference of two shares, in percentage points
        return number(rounded(value, decimals, 100), lang, decimals) + ("\u00a0p.p." if lang == "lv" else "\u00a0pp")
    if kind == "pct":
        return percent_sign(number(value, lang, decimals), lang)
    if kind in ("eur", "eur_day"):
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "\u00a0¤" if lang == "lv" else \
                  "¤#,##0" + ("." + "0" * decimals if decimals else "")
        return format_currency(rounded(value, decimals), "EUR", format=pattern, locale=LOCALES[lang], currency_digits=False)
    return number(value, lang, decimals)


def signed(text: str, negative: bool) -> str:
    return text if negative or text.startswith("-") or text.startswith("−") else "+" + text


def date(day: dt.date, lang: str) -> str:
    return format_date(day, format="long", locale=LOCALES[lang])
