"""Numbers and dates in the reader's language, with Babel (CLDR): Latvian uses a decimal comma and a
(non-breaking) space between thousands; English a point and a comma."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LOCALES = {"lv": "lv_LV", "en": "en_GB"}
#: Decimals shown per kind of value (the data attribute keeps the full public value).
DECIMALS = {
    "count": 0,
    "rate": 1,
    "share": 1,
    "pct": 1,
    "mean": 1,
    "nights": 0,
    "score": 1,
    "eur": 0,
    "eur_day": 2,
    "pp": 1,
    "number": 0,
    "eur_mln": 1,
}


def rounded(value: float, decimals: int, scale: int = 1) -> Decimal:
    """Half up, on the value as written (0.9965 as a percent is 99.65 -> 99.7), as statistical tables round."""
    return (Decimal(str(value)) * scale).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


MINUS = "\u2212"


def number(value: float | Decimal, lang: str, decimals: int = 0) -> str:
    value = rounded(value, decimals)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALES[lang]).replace("-", MINUS)  # a real minus sign


def printed(value: float, kind: str) -> Decimal:
    """The value as the report prints it (its kind's scale and decimals), for figures computed from printed ones."""
    decimals = DECIMALS[kind]
    if kind == "eur_mln":
        return rounded(value / 1_000_000, decimals)
    return rounded(value, decimals, 100 if kind in ("share", "pp") else 1)


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
    if kind == "eur_mln":
        return millions(value, lang)
    if kind in ("eur", "eur_day"):
        pattern = (
            "#,##0" + ("." + "0" * decimals if decimals else "") + "\u00a0¤"
            if lang == "lv"
            else "¤#,##0" + ("." + "0" * decimals if decimals else "")
        )
        return format_currency(
            rounded(value, decimals), "EUR", format=pattern, locale=LOCALES[lang], currency_digits=False
        )
    return number(value, lang, decimals)


def signed(text: str, negative: bool) -> str:
    return text if negative or text.startswith("-") or text.startswith(MINUS) else "+" + text


def millions(value: float, lang: str) -> str:
    """A large euro amount to 0.1 million: €26.7 million / 26,7 milj. € (no false precision)."""
    text = number(rounded(value / 1_000_000, 1), lang, 1)
    return f"{text}\u00a0milj.\u00a0€" if lang == "lv" else f"€{text}\u00a0million"


def date(day: dt.date, lang: str, case: str = "nom") -> str:
    """A long date; in Latvian `case="loc"` gives the locative ("2026. gada 7. decembrī") a sentence needs."""
    if lang == "lv":
        from homeless_monitor.report.texts import MONTHS_LOC, MONTHS_NOM

        months = MONTHS_LOC if case == "loc" else MONTHS_NOM
        return f"{day.year}. gada {day.day}. {months[day.month - 1]}"
    return format_date(day, format="long", locale=LOCALES[lang])


def plural_one(value: int | float | None, lang: str) -> bool:
    """True when a count takes the singular noun (CLDR plural rules via Babel: Latvian 21 persona, 11 personas)."""
    from babel import Locale

    if value is None:
        return False
    return Locale.parse(LOCALES[lang]).plural_form(abs(int(value))) == "one"


# Latvian collation (CLDR's `lv` tailoring of the Unicode collation algorithm): č ģ ķ ļ ņ š ž are letters of
# their own after c g k l n s z, y sorts after i, while the long vowels ā ē ī ū differ from a e i u only at
# the second level (Ādažu sorts among the A's). Babel ships no collation data and PyICU has no wheel here, so
# the tailoring is written out: a primary key of letter positions, then the accents, then the case.
_LV_BASE = {"ā": "a", "ē": "e", "ī": "i", "ū": "u", "ō": "o", "ŗ": "r"}
_LV_ORDER = {ch: i for i, ch in enumerate("0123456789abcčdefgģhiyjkķlļmnņoprsštuvzž")}


def latvian_key(text: str) -> tuple:
    """Sort key for Latvian names (e.g. municipalities): `sorted(names, key=latvian_key)`."""
    low = str(text).casefold()
    primary = tuple(_LV_ORDER.get(_LV_BASE.get(ch, ch), 100 + ord(_LV_BASE.get(ch, ch))) for ch in low if ch.isalnum())
    secondary = tuple(1 if ch in _LV_BASE else 0 for ch in low if ch.isalnum())
    tertiary = tuple(0 if ch.islower() else 1 for ch in str(text) if ch.isalnum())
    return primary, secondary, tertiary
