"""Redoing printed arithmetic by hand, as a reader would: parse an element line's printed text back
into Python arithmetic and evaluate it exactly (decimal arithmetic, 50 digits) with the numbers as
printed. Nothing of nntrace is used here: the printed text is read as text (Unicode from the
terminal, LaTeX from the documents).
"""

from __future__ import annotations

import decimal
import re

D = decimal.Decimal
CONTEXT = decimal.Context(prec=340, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)  # 1 + e^-700 keeps its last digit
SMALLEST_NORMAL = 2.2250738585072014e-308  # float64's; below it, numbers are subnormal
SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def _tanh(x):
    twice = (2 * x).exp()
    return (twice - 1) / (twice + 1)


FUNCTIONS = {
    "D": D,
    "exp": lambda x: x.exp(),
    "log": lambda x: x.ln(),
    "sqrt": lambda x: x.sqrt(),
    "tanh": _tanh,
    "max": max,
    "step": lambda z: D(1) if z >= 0 else D(0),
    "E": D(1).exp(context=CONTEXT),
}
_LITERAL = re.compile(r"(?<![\w.])(\d+\.\d+|\d+)(?![\w.(])")


def _decimals(expression: str) -> str:
    """Every number literal as an exact Decimal, and e to a power as exp()."""
    expression = expression.replace("E**(", "exp(")
    expression = re.sub(r"E\*\*(-?\d+(?:\.\d+)?)", r"exp(\1)", expression)
    return _LITERAL.sub(lambda m: f"D('{m.group(1)}')", expression)
# A number as printed: -0.035, 2.4 × 10⁻⁶, 10⁻⁸ (its digits, then an optional power of ten).
NUMBER = re.compile(r"^-?(?:\d+(?:\.\d+)?(?: ?× ?10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?|10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)$")


def printed_value(text: str) -> tuple[float, float]:
    """A printed number (Unicode, or LaTeX's 2.4 \\times 10^{-6}) and the unit of its last digit."""
    text = text.strip()
    latex = re.fullmatch(r"(-?)(?:([\d.]+) \\times )?10\^\{(-?\d+)\}", text)
    if latex:
        sign, mantissa, exponent = latex.group(1), latex.group(2) or "1", int(latex.group(3))
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return (-1.0 if sign else 1.0) * float(mantissa) * 10.0**exponent, 10.0 ** (exponent - decimals)
    sign = -1.0 if text.startswith("-") else 1.0
    text = text.lstrip("-")
    if "10" in text and ("×" in text or text.startswith("10") and any(c in text for c in "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")):
        if "×" in text:
            mantissa, power = (part.strip() for part in text.split("×"))
        else:
            mantissa, power = "1", text
        exponent = int(power[2:].translate(SUPERSCRIPT))
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return sign * float(mantissa) * 10.0**exponent, 10.0 ** (exponent - decimals)
    decimals = len(text.split(".")[1]) if "." in text else 0
    return sign * float(text), 10.0**-decimals


def unicode_to_python(text: str) -> str | None:
    """The printed arithmetic as a Python expression, or None where it holds symbols (a formula)."""
    if "…" in text or "more" in text:
        return None
    out = text
    out = re.sub(r"10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", lambda m: f"10**({m.group(1).translate(SUPERSCRIPT)})", out)
    out = out.replace("×", "*").replace("·", "*").replace("⊙", "*").replace("−", "-").replace("^", "**")
    out = re.sub(r"√\(", "sqrt(", out)
    out = re.sub(r"√(-?[\d.]+(?:\*\*\(-?\d+\))?)", r"sqrt(\1)", out)
    out = re.sub(r"\be\*\*", "E**", out)
    out = re.sub(r"\bln\(", "log(", out)
    if re.search(r"[A-DF-Za-df-z_σδηαβμλεθ∂Σ′\[\]]", out.replace("sqrt", "").replace("log", "").replace("tanh", "")
                 .replace("max", "").replace("step", "")):
        return None
    return out


def latex_to_python(text: str) -> str | None:
    """LaTeX arithmetic (from the Markdown and LaTeX documents) as a Python expression, or None."""
    if r"\cdots" in text or "more" in text:
        return None
    out = text.replace(r"\left(", "(").replace(r"\right)", ")").replace(r"\left[", "(").replace(r"\right]", ")")
    out = out.replace(r"\times", "*").replace(r"\cdot", "*").replace(r"\,", " ").replace(r"\displaystyle", "")
    out = out.replace(r"\operatorname{ln}", "log").replace(r"\operatorname{max}", "max")
    out = out.replace(r"\operatorname{tanh}", "tanh").replace(r"\operatorname{step}", "step")
    out = _braced(out)
    if out is None or re.search(r"\\|[A-DF-Za-df-z_]", out.replace("sqrt", "").replace("log", "").replace("tanh", "")
                                .replace("max", "").replace("step", "")):
        return None
    return out.replace("{", "(").replace("}", ")")


def _braced(text: str) -> str | None:
    """\\frac{a}{b}, \\tfrac{a}{b}, \\sqrt{a}, x^{y} and {e} into Python's (a)/(b), sqrt(a), (x)**(y)."""
    for _ in range(200):
        match = re.search(r"\\t?frac\{", text)
        if not match:
            break
        top_end = _closing(text, match.end() - 1)
        bottom_end = _closing(text, top_end + 1)
        top, bottom = text[match.end() : top_end], text[top_end + 2 : bottom_end]
        text = text[: match.start()] + f"(({top})/({bottom}))" + text[bottom_end + 1 :]
    text = re.sub(r"\\sqrt\{", "sqrt{", text)
    text = re.sub(r"\{e\}", "E", text)
    text = re.sub(r"(?<![\w)])e\^", "E^", text)
    text = text.replace("^", "**")
    return text


def _closing(text: str, opening: int) -> int:
    depth = 0
    for position in range(opening, len(text)):
        depth += {"{": 1, "}": -1}.get(text[position], 0)
        if depth == 0:
            return position
    raise ValueError(f"unbalanced braces in {text!r}")


def redoes(expression: str, result: str) -> tuple[bool, float, float]:
    """Whether evaluating `expression` gives the printed `result` within one unit of its last digit
    or within 1 %: (it does, the value redone, the value printed)."""
    with decimal.localcontext(CONTEXT):
        redone = float(eval(_decimals(expression), {"__builtins__": {}}, FUNCTIONS))  # noqa: S307 - our own printed text
    printed, unit = printed_value(result)
    close = abs(redone - printed) <= unit * (1 + 1e-9) + 1e-12 * abs(printed) or abs(redone - printed) <= 0.01 * abs(
        printed
    )
    return close, redone, printed


def element_lines(output: str) -> list[str]:
    """The lines of a terminal output that work one element out: target = ... = result."""
    lines = []
    for line in output.splitlines():
        stripped = line.strip()
        if " = " not in stripped or stripped.startswith(("code", "math", "Loss", "(")):
            continue
        parts = stripped.split(" = ")
        if len(parts) >= 3 or (len(parts) == 2 and "[" in parts[0] and "⎡" not in line and "⎢" not in line):
            lines.append(stripped)
    return lines


def check_lines(lines: list[str], to_python=unicode_to_python) -> tuple[int, list[str]]:
    """How many lines were redone, and those that did not give their printed result."""
    redone, failures = 0, []
    for line in lines:
        line = re.sub(r"\s+\(summed over the samples\)$", "", line)
        parts = [part.strip() for part in line.split(" = ")]
        result = parts[-1]
        if not NUMBER.match(result) and to_python is unicode_to_python:
            continue
        for middle in parts[1:-1]:
            expression = to_python(middle)
            if expression is None:
                continue
            try:
                close, value, printed = redoes(expression, result)
            except (SyntaxError, ValueError, ZeroDivisionError, OverflowError, TypeError, NameError):
                failures.append(f"{line}  (unreadable: {expression})")
                continue
            redone += 1
            if not close and 0 < abs(printed) < SMALLEST_NORMAL:
                continue  # float64 holds less than it prints there (and a sigmoid is held at z = -709.78)
            if not close:
                failures.append(f"{line}  (redone: {value!r})")
    return redone, failures
