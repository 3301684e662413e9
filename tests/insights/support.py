"""An initiative with one metric, made through the real actions, for the tests of every folder."""

from belong.insights import initiatives


def initiative_with_metric(admin, *, lead, title="Maternal health equity", metric="SMM per 10,000"):
    """(initiative, metric): severe maternal morbidity, lower is better, baseline 90, target 60."""
    initiative = initiatives.create_initiative(
        actor=admin,
        title=title,
        lead=lead,
        unit=None,
        disparity="Severe maternal morbidity is higher for Black patients.",
        population="Birthing people",
        status="active",
    )
    made = initiatives.add_metric(
        initiative,
        actor=admin,
        name=metric,
        unit="per 10,000",
        direction="lower",
        baseline=90,
        target=60,
        target_on=None,
    )
    return initiative, made
