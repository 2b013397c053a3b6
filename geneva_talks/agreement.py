"""Agreement between coders: the book's two codings, and a student's own.

The unit of coding is a (statement, issue, side) triple, as in ``positions``: a coder reads a
statement, decides which issues it addresses, and gives each side's stance (``a``, ``a-if``,
``neutral``, ``b-if``, ``b``). ``codings`` holds two independent codings by the same
codebook: coder A's and coder B's, made blind to A's (B saw only the codebook and the
statement texts). ``positions`` is what they were settled into.

Agreement is measured twice: on the stances of the units both coders coded, and on every
unit either coded (where one coder did not code a unit, its code is "not coded"): Cohen's
kappa (scikit-learn) read against the bands of Landis and Koch (1977), and Krippendorff's
alpha (the ``krippendorff`` package), for which 0.8 is good and 0.667 the lowest
acceptable. :func:`coding_form` lets a student code a sample in a live notebook.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from .analysis import coded_positions
from .display import categories, escape

#: The seed of the sample, so that every reader codes the same pairs.
SAMPLE_SEED = 2022
#: How many pairs to draw for each reference stance (fewer where a stance has fewer pairs).
PER_STANCE = 3

#: Landis and Koch (1977): the upper bound of each band and its name, lowest first.
LANDIS_KOCH_BANDS = (
    (0.0, "poor"),  # below zero: less agreement than chance
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.00, "almost perfect"),
)

Pair = tuple[str, str]  # (statement_id, issue_id): the speaker's own side's stance
#: The code of a unit that one coder did not code.
NOT_CODED_UNIT = "not coded"


def stance_labels(data) -> list[str]:
    """The stance vocabulary, in codebook order."""
    return categories(data.positions["stance"])


def coding_sample(data, per_stance: int = PER_STANCE, seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """The statement–issue pairs a student codes: up to ``per_stance`` pairs drawn (seeded)
    for each stance of the settled coding, so that the sample holds every stance used. Only
    the speaker's own side is coded, and only the base document's statements are drawn:
    statements added from other sources leave the sample as it is.

    Columns: statement_id, issue_id, speaker, delegation, where, text, issue, pole_a,
    pole_b, reference (the settled stance). Sorted by document order, then issue order."""
    coded = coded_positions(data)
    base = data.base_statements()["statement_id"]
    own = coded[~coded["reported"] & coded["statement_id"].isin(base)].assign(
        stance=lambda c: c["stance"].astype(str), order=lambda c: c.index)
    drawn = [group.sample(n=min(per_stance, len(group)), random_state=seed)
             for _stance, group in sorted(own.groupby("stance"))]
    sample = pd.concat(drawn).merge(
        data.issues[["issue_id", "pole_a", "pole_b"]], on="issue_id")
    document = {sid: i for i, sid in enumerate(data.statements["statement_id"])}
    sample = sample.assign(at=sample["statement_id"].map(document)).sort_values(
        ["at", "issue_id"]).rename(columns={"stance": "reference"})
    columns = ["statement_id", "issue_id", "speaker", "delegation", "where", "text", "issue",
               "pole_a", "pole_b", "reference"]
    return sample[columns].astype({"issue_id": str, "delegation": str}).reset_index(drop=True)


def two_codings(data) -> pd.DataFrame:
    """One row per unit (statement, issue, side) that either coder coded, in document and
    codebook order: coder A's stance, coder B's (missing where a coder did not code the
    unit), the settled stance in positions (missing where the unit was not kept), and its
    rationale."""
    keys = ["statement_id", "issue_id", "side"]
    codings = data.codings.astype({"issue_id": str, "side": str, "stance": str})
    wide = codings.pivot(index=keys, columns="coder", values="stance").reset_index()
    wide.columns.name = None
    settled = data.positions.astype({"issue_id": str, "side": str, "stance": str})[
        [*keys, "stance", "rationale"]].rename(columns={"stance": "settled"})
    table = wide.merge(settled, on=keys, how="left")
    document = {sid: i for i, sid in enumerate(data.statements["statement_id"])}
    issues = {iid: i for i, iid in enumerate(data.issues["issue_id"].astype(str))}
    table = table.assign(_d=table["statement_id"].map(document),
                         _i=table["issue_id"].map(issues)).sort_values(["_d", "_i", "side"])
    return table[[*keys, "A", "B", "settled", "rationale"]].reset_index(drop=True)


def reliability(data) -> pd.DataFrame:
    """The agreement of the two codings, two ways (rows): on the stances of the units both
    coded, and on every unit either coded ("not coded" counting as a code). Columns: units,
    agreed, observed, kappa, band (Landis and Koch), alpha (Krippendorff, nominal)."""
    table = two_codings(data)
    both = table.dropna(subset=["A", "B"])
    either = table.fillna({"A": NOT_CODED_UNIT, "B": NOT_CODED_UNIT})
    rows = []
    for name, frame in (("stance, on the units both coded", both),
                        ("issues and stances, on every unit either coded", either)):
        a, b = frame["A"].tolist(), frame["B"].tolist()
        kappa = (float(cohen_kappa_score(a, b)) if len(set(a) | set(b)) > 1 else math.nan)
        rows.append({"measure": name, "units": len(frame),
                     "agreed": int(sum(x == y for x, y in zip(a, b, strict=True))),
                     "observed": sum(x == y for x, y in zip(a, b, strict=True)) / len(frame),
                     "kappa": kappa, "band": landis_koch_band(kappa),
                     "alpha": krippendorff_alpha(a, b)})
    return pd.DataFrame(rows).set_index("measure")


def krippendorff_alpha(first: Sequence[str], second: Sequence[str]) -> float:
    """Krippendorff's alpha (nominal) of two coders' codes for the same units."""
    import krippendorff

    codes = sorted(set(first) | set(second))
    if len(codes) < 2:
        return math.nan
    value = {code: i for i, code in enumerate(codes)}
    matrix = [[value[c] for c in first], [value[c] for c in second]]
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def disagreements(data) -> pd.DataFrame:
    """The units on which the coders differ (a different stance, or one did not code it),
    with how each was settled: the stance kept in positions (or "dropped") and why."""
    table = two_codings(data)
    differ = table[table["A"].fillna("") != table["B"].fillna("")]
    return differ.fillna({"A": NOT_CODED_UNIT, "B": NOT_CODED_UNIT, "settled": "dropped",
                          "rationale": "Not kept: the reading needs more inference than "
                                       "the statement gives (codebook, rule 5)."})


def pairs(sample: pd.DataFrame) -> list[Pair]:
    """The (statement_id, issue_id) pairs of a sample, in its order."""
    return list(zip(sample["statement_id"], sample["issue_id"], strict=True))


@dataclass(frozen=True)
class Agreement:
    """Agreement of a coder with the reference on ``n`` pairs."""

    n: int
    observed: float  # share of pairs coded the same
    kappa: float  # Cohen's kappa (nan when undefined)
    band: str  # Landis and Koch band of kappa

    def reading(self) -> str:
        """One sentence that reads the result against the Landis and Koch bands."""
        if math.isnan(self.kappa):
            return (f"On {self.n} pairs, kappa is undefined: chance agreement is total "
                    "(every code falls in one category), so kappa cannot say anything.")
        head = (f"On {self.n} pairs the coder agrees with the reference on "
                f"{self.observed:.0%}; Cohen's kappa is {self.kappa:.2f}")
        if round(self.kappa, 2) <= 0:
            return (head + ": no better than chance (Landis and Koch's lowest bands, "
                    f"\u201c{self.band}\u201d, begin at zero).")
        return head + f", which Landis and Koch would call {self.band} agreement."


def landis_koch_band(kappa: float) -> str:
    """The Landis and Koch (1977) name for ``kappa``: poor (< 0), slight (0–0.20), fair
    (0.21–0.40), moderate (0.41–0.60), substantial (0.61–0.80), almost perfect (0.81–1)."""
    if math.isnan(kappa):
        return "undefined"
    if not -1.0 <= kappa <= 1.0:
        raise ValueError(f"kappa must lie between -1 and 1, not {kappa}")
    if kappa < 0:
        return "poor"
    for upper, name in LANDIS_KOCH_BANDS[1:]:
        if round(kappa, 2) <= upper:
            return name
    raise AssertionError("unreachable: kappa <= 1")


def _aligned(reference: Mapping[Pair, str], coded: Mapping[Pair, str | None],
             labels: Sequence[str]) -> tuple[list[str], list[str]]:
    """Reference and coded stances on the pairs that were coded; unknown pairs or stances raise."""
    unknown = set(coded) - set(reference)
    if unknown:
        raise KeyError(f"coded pairs not in the sample: {sorted(unknown)}")
    ref, got = [], []
    for pair, stance in coded.items():
        if stance is None:
            continue
        if stance not in labels:
            raise ValueError(f"{pair}: {stance!r} is not a stance of the codebook {list(labels)}")
        ref.append(reference[pair])
        got.append(stance)
    return ref, got


def agreement(reference: Mapping[Pair, str], coded: Mapping[Pair, str | None],
              labels: Sequence[str]) -> Agreement:
    """Cohen's kappa and observed agreement of ``coded`` with ``reference`` on the pairs
    coded (a pair coded ``None`` is left out)."""
    ref, got = _aligned(reference, coded, labels)
    if not ref:
        raise ValueError("no pair has been coded yet")
    observed = sum(r == g for r, g in zip(ref, got, strict=True)) / len(ref)
    if len(set(ref) | set(got)) < 2:
        kappa = math.nan  # chance agreement is 1: kappa is 0/0
    else:
        kappa = float(cohen_kappa_score(ref, got, labels=list(labels)))
    return Agreement(n=len(ref), observed=observed, kappa=kappa, band=landis_koch_band(kappa))


def confusion_table(reference: Mapping[Pair, str], coded: Mapping[Pair, str | None],
                    labels: Sequence[str]) -> pd.DataFrame:
    """Counts of (reference stance, coded stance), every stance of the codebook in order,
    with totals. The diagonal is agreement."""
    ref, got = _aligned(reference, coded, labels)
    table = pd.crosstab(pd.Categorical(ref, categories=list(labels)),
                        pd.Categorical(got, categories=list(labels)),
                        rownames=["reference"], colnames=["coder"], dropna=False,
                        margins=True, margins_name="total")
    return table


# -- The live form ---------------------------------------------------------------------------

NOT_CODED = "— choose —"


def coding_form(sample: pd.DataFrame, labels: Sequence[str]) -> widgets.VBox:
    """A form to code ``sample`` in a live notebook: the quote and the poles of each pair,
    a Dropdown of stances, and a button that shows kappa, its band and the confusion table.

    The button runs Python, so it needs a kernel; in the static book it does nothing."""
    reference = dict(zip(pairs(sample), sample["reference"], strict=True))
    dropdowns: dict[Pair, widgets.Dropdown] = {}
    items: list[widgets.Widget] = []
    for row in sample.itertuples():
        pair = (row.statement_id, row.issue_id)
        items.append(widgets.HTML(
            f"<p><strong>{escape(row.statement_id)}</strong> — {escape(row.speaker)} "
            f"({escape(row.delegation)}), {escape(row.where)}: “{escape(row.text)}”<br>"
            f"<em>Issue: {escape(row.issue)}.</em> Pole A: {escape(row.pole_a)}; "
            f"pole B: {escape(row.pole_b)}.</p>"))
        dropdowns[pair] = widgets.Dropdown(
            options=[NOT_CODED, *labels], value=NOT_CODED,
            description=f"Stance of {row.statement_id} on {row.issue}",
            style={"description_width": "initial"})
        items.append(dropdowns[pair])
    button = widgets.Button(description="Compute agreement", button_style="primary")
    result = widgets.Output()

    def show(html_text: str, plain: str) -> None:
        # Stored in the Output's model directly: works with or without a kernel.
        result.outputs = ({"output_type": "display_data", "metadata": {},
                           "data": {"text/html": html_text, "text/plain": plain}},)

    def compute(_button=None) -> None:
        coded = {p: (None if d.value == NOT_CODED else d.value) for p, d in dropdowns.items()}
        try:
            found = agreement(reference, coded, labels)
        except ValueError as error:
            message = f"{error}: choose a stance first."
            show(f"<p>{html.escape(message)}</p>", message)
            return
        missing = sum(v is None for v in coded.values())
        text = found.reading() + (f" ({missing} pair(s) not coded yet.)" if missing else "")
        table = confusion_table(reference, coded, labels)
        show(f"<p>{html.escape(text)}</p>{table.to_html(escape=True)}",
             f"{text}\n{table.to_string()}")

    button.on_click(compute)
    return widgets.VBox([*items, button, result])
