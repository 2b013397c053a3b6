"""Code it yourself: a sample of statements to code, and agreement with the reference coding.

The unit of coding is a statement–issue pair, as in ``positions``: the coder reads a
statement and gives its stance toward the issue's proposition (``for``, ``conditional``,
``neutral``, ``against``). The reference coding is the book's own (``positions.stance``).

Agreement is Cohen's kappa (scikit-learn's ``cohen_kappa_score``), read against the bands
of Landis and Koch (1977). In a live notebook, :func:`coding_form` gives a student one
Dropdown per sampled pair and a button that computes the result.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd
from sklearn.metrics import cohen_kappa_score

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

Pair = tuple[str, str]  # (statement_id, issue_id)


def stance_labels(data) -> list[str]:
    """The stance vocabulary, in codebook order (the ordered categories of positions.stance)."""
    stance = data.positions["stance"]
    if isinstance(stance.dtype, pd.CategoricalDtype):
        return [str(c) for c in stance.cat.categories]
    return sorted(str(s) for s in stance.unique())


def coding_sample(data, per_stance: int = PER_STANCE, seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """The statement–issue pairs a student codes: up to ``per_stance`` pairs drawn (seeded) for
    each reference stance, so that every stance of the codebook is in the sample. Only the
    base document's statements are drawn: statements added from other sources leave the
    sample as it is.

    Columns: statement_id, issue_id, speaker, delegation, paragraph, text, issue, proposition,
    reference. Sorted by statement, then issue order."""
    base = set(data.sources.loc[data.sources["kind"].astype(str) == "base_document",
                                "source_id"].astype(str))
    in_base = data.statements.loc[data.statements["source_id"].astype(str).isin(base),
                                  "statement_id"].astype(str)
    positions = data.positions[data.positions["statement_id"].astype(str).isin(in_base)]
    positions = positions.assign(stance=positions["stance"].astype(str))
    drawn = [group.sample(n=min(per_stance, len(group)), random_state=seed)
             for _stance, group in sorted(positions.groupby("stance", observed=True))]
    sample = pd.concat(drawn)[["statement_id", "issue_id", "stance"]]
    statements = data.statements[["statement_id", "speaker_id", "delegation", "paragraph", "text"]]
    names = data.actors[["actor_id", "name"]].rename(columns={"actor_id": "speaker_id",
                                                             "name": "speaker"})
    issues = data.issues[["issue_id", "label", "proposition", "order"]].rename(
        columns={"label": "issue"})
    table = (sample.astype({"statement_id": str, "issue_id": str})
             .merge(statements.astype({"statement_id": str}), on="statement_id", how="left")
             .merge(names, on="speaker_id", how="left")
             .merge(issues.astype({"issue_id": str}), on="issue_id", how="left")
             .sort_values(["statement_id", "order"])
             .rename(columns={"stance": "reference"}))
    columns = ["statement_id", "issue_id", "speaker", "delegation", "paragraph", "text", "issue",
               "proposition", "reference"]
    return table[columns].astype({"speaker": str, "delegation": str, "issue": str,
                                  "proposition": str, "text": str}).reset_index(drop=True)


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
        return (f"On {self.n} pairs the coder agrees with the reference on "
                f"{self.observed:.0%}; Cohen's kappa is {self.kappa:.2f}, which Landis and Koch "
                f"would call {self.band} agreement.")


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
    """A form to code ``sample`` in a live notebook: the quote and the proposition of each pair,
    a Dropdown of stances, and a button that shows kappa, its band and the confusion table.

    The button runs Python, so it needs a kernel; in the static book it does nothing."""
    reference = dict(zip(pairs(sample), sample["reference"], strict=True))
    dropdowns: dict[Pair, widgets.Dropdown] = {}
    items: list[widgets.Widget] = []
    for row in sample.itertuples():
        pair = (row.statement_id, row.issue_id)
        items.append(widgets.HTML(
            f"<p><strong>{html.escape(row.statement_id)}</strong> — "
            f"{html.escape(row.speaker)} ({html.escape(row.delegation)}), "
            f"¶{int(row.paragraph)}: “{html.escape(row.text)}”<br>"
            f"<em>Issue: {html.escape(row.issue)}.</em> Proposition: "
            f"{html.escape(row.proposition)}</p>"))
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
    form = widgets.VBox([*items, button, result])
    form._geneva_compute = compute  # lets tests press the button without a browser
    form._geneva_dropdowns = dropdowns
    return form
