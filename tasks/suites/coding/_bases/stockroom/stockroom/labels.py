"""Barcodes on labels: GTIN check digits (EAN-8, UPC-A, EAN-13, GTIN-14) and SSCC pallet codes.

A scanner reads digits; the last one is a check digit computed from the others (GS1's mod-10:
weights 3 and 1 from the right). A mistyped or misread code fails the check, which is how a
receiving clerk learns that the box is not the product the system thinks it is.
"""

from __future__ import annotations

from dataclasses import dataclass

GTIN_LENGTHS = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}


class BarcodeError(ValueError):
    pass


def check_digit(body: str) -> int:
    """GS1 mod-10 check digit of the digits before it."""
    if not body.isdigit():
        raise BarcodeError(f"{body!r}: digits only")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def validate_gtin(code: str) -> str:
    """The code's kind, or BarcodeError saying what is wrong with it."""
    code = code.strip().replace(" ", "").replace("-", "")
    if not code.isdigit():
        raise BarcodeError(f"{code!r}: a GTIN has digits only")
    kind = GTIN_LENGTHS.get(len(code))
    if kind is None:
        raise BarcodeError(f"{code!r}: {len(code)} digits (GTINs have 8, 12, 13 or 14)")
    expected = check_digit(code[:-1])
    if int(code[-1]) != expected:
        raise BarcodeError(f"{code!r}: check digit is {code[-1]}, should be {expected}")
    return kind


def to_gtin14(code: str) -> str:
    """Any valid GTIN, left-padded to 14 digits: the form to store and compare."""
    validate_gtin(code)
    return code.strip().replace(" ", "").replace("-", "").rjust(14, "0")


def make_sscc(extension: int, company_prefix: str, serial: int) -> str:
    """An 18-digit Serial Shipping Container Code for a pallet."""
    if not 0 <= extension <= 9:
        raise BarcodeError("extension digit must be 0-9")
    if not company_prefix.isdigit() or not 6 <= len(company_prefix) <= 12:
        raise BarcodeError("company prefix must be 6-12 digits")
    width = 16 - len(company_prefix)
    if not 0 <= serial < 10 ** width:
        raise BarcodeError(f"serial must fit in {width} digits")
    body = f"{extension}{company_prefix}{serial:0{width}d}"
    return body + str(check_digit(body))


@dataclass(frozen=True)
class Label:
    sku: str
    name: str
    gtin: str
    quantity: int = 1

    def render(self, width: int = 32) -> str:
        """A plain-text label for a thermal printer's text mode."""
        if width < 20:
            raise ValueError("labels need at least 20 columns")
        name = self.name if len(self.name) <= width else self.name[: width - 1] + "…"
        lines = [self.sku.ljust(width - 5) + f"x{self.quantity:>4}", name, f"GTIN {to_gtin14(self.gtin)}"]
        border = "+" + "-" * width + "+"
        return "\n".join([border, *(f"|{line.ljust(width)}|" for line in lines), border])
