"""The mentorship matching engine (belong.mentorship.matching.match) against a floor measured in
the same run: the raw `scipy.optimize.linear_sum_assignment` call on the same score matrix,
slot-expanded (each mentor's column repeated once per place, ineligible pairs at 0), which is
the least any exact assignment over mentor places costs.

For 200 x 150, 1,000 x 600 and 5,000 x 2,000 mentees x mentors (capacity 1 to 3; random
profiles with a fixed seed, spread like a GME program's answers: a few large programs and many
small ones, most people speaking English and some another language, most mentees leaving the
default weights, a share consenting to identity matching, a few exclusions and preferred
mentors, residents mentored by faculty and senior fellows, some people enrolled on both sides),
it prints:

- optimal mode: the median time of a whole `match(..., mode="optimal")` call (scoring,
  constraints, solving, reasons) as a ratio to the floor's median (only the solver call on a
  matrix built beforehand), and its total score as a ratio to the floor's optimum; and, of
  that, the time of scoring the pool alone (every pair's score and eligibility: the matrix the
  floor is handed), which bounds from below what any engine that scores can reach;
- greedy (highest score first, written here): its time from the profiles (the same scoring,
  then one pass over the pairs) and the engine's total as a ratio to greedy's (the quality
  ratio);
- stable mode: the median time and total of `match(..., mode="stable")`;
- peak memory: the peak resident set size of a child process that builds the instance and
  runs one optimal match, and the same before the match. It is read from the kernel's VmHWM
  (/proc/self/status), the child's own high-water mark: resource.getrusage's ru_maxrss would
  also carry the parent's resident pages across fork and exec, which are not the engine's.

Targets are printed beside the figures: at most 1.5x the floor's time, 5,000 x 2,000 in under
5 s, peak memory under 1 GiB, the total equal to the floor's optimum. Nothing is asserted.

Run it alone with `.venv/bin/python -m bench bench_matching` (it needs no database)."""

import random
import resource
import sys
from functools import partial
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from belong.mentorship.matching import (
    FACTORS,
    Mentee,
    Mentor,
    eligible_matrix,
    match,
    score_matrix,
)
from bench.harness import median_time, run_module

SEED = 11
# (mentees, mentors, timed runs of each measure)
SIZES = [(200, 150, 5), (1000, 600, 5), (5000, 2000, 3)]
TARGET_RATIO = 1.5
TARGET_SECONDS = 5.0  # for the largest instance
TARGET_BYTES = 1 << 30

# Programs by size: internal medicine and pediatrics are large, most are small.
PROGRAMS = [
    "internal_medicine", "pediatrics", "family_medicine", "surgery", "psychiatry",
    "emergency_medicine", "anesthesiology", "obstetrics_gynecology", "neurology", "radiology",
    "pathology", "dermatology", "orthopaedic_surgery", "ophthalmology", "otolaryngology",
    "urology", "neurosurgery", "physical_medicine", "radiation_oncology", "cardiology",
    "gastroenterology", "hematology_oncology", "infectious_disease", "nephrology",
    "pulmonary_critical_care", "endocrinology", "rheumatology", "geriatrics", "neonatology",
    "child_psychiatry",
]  # fmt: skip
DEPARTMENTS = [
    "medicine", "pediatrics", "family_medicine", "surgery", "psychiatry", "emergency_medicine",
    "anesthesiology", "obstetrics_gynecology", "neurology", "radiology", "laboratory_medicine",
    "dermatology", "orthopaedics", "ophthalmology", "otolaryngology", "urology",
]  # fmt: skip
CAREER = [
    "clinical", "academic", "research", "education", "leadership", "advocacy", "global",
    "community_practice",
]  # fmt: skip
DEI = [
    "anti_racism", "sdoh", "community", "recruitment", "research", "lgbtq_health", "disability",
    "language_access",
]  # fmt: skip
OTHER_LANGUAGES = ["es", "so", "hmn", "vi", "ar", "om", "am", "kar", "zh", "ru", "fr", "ase"]
MEETING = ["virtual", "in_person"]
CAMPUSES = ["twin_cities", "duluth", "rochester", "st_cloud"]
AVAILABILITY = ["weekday_morning", "weekday_midday", "weekday_evening", "weekend"]
IDENTITY = [f"aspect_{k}" for k in range(1, 13)]  # opaque keys: the engine only compares them


def skewed(rng, values):
    """One of `values`, the first ones far more often (Zipf-like)."""
    return rng.choices(values, weights=[1 / (k + 1) for k in range(len(values))])[0]


def some(rng, values, low, high):
    return frozenset(rng.sample(values, rng.randint(low, high)))


def profile(rng, person_id, seniority):
    languages = {"en"} if rng.random() < 0.95 else set()
    if rng.random() < 0.25:
        languages |= some(rng, OTHER_LANGUAGES, 1, 2)
    consents = rng.random() < 0.4
    return {
        "id": person_id,
        "seniority": seniority,
        "program": skewed(rng, PROGRAMS) if rng.random() < 0.95 else "",
        "department": skewed(rng, DEPARTMENTS) if rng.random() < 0.9 else "",
        "career_interests": some(rng, CAREER, 0, 3),
        "dei_interests": some(rng, DEI, 1, 3),
        "languages": frozenset(languages),
        "meeting": some(rng, MEETING, 1, 2),
        "campus": rng.choices(CAMPUSES, weights=[6, 2, 2, 1])[0],
        "availability": some(rng, AVAILABILITY, 1, 3),
        "identity": some(rng, IDENTITY, 1, 2) if consents else frozenset(),
    }


def instance(n_mentees, n_mentors):
    """Random profiles, the same for the same size in every run (and in the child process)."""
    rng = random.Random(f"{SEED}-{n_mentees}-{n_mentors}")
    # A few senior fellows are enrolled on both sides: their mentor ids are mentee ids too.
    first_mentor_id = n_mentees - n_mentees // 50 + 1
    mentor_ids = list(range(first_mentor_id, first_mentor_id + n_mentors))
    mentees = []
    for mentee_id in range(1, n_mentees + 1):
        fields = profile(rng, mentee_id, rng.choices(range(1, 8), weights=[5, 5, 4, 3, 2, 1, 1])[0])
        wants = bool(fields["identity"]) and rng.random() < 0.5
        weights = {
            f: float(rng.randint(0, 3)) if rng.random() < 0.4 else 1.0
            for f in FACTORS
            if f != "identity"
        }
        weights["identity"] = float(rng.randint(1, 3)) if wants else 0.0
        preferred = frozenset(rng.sample(mentor_ids, 2)) if rng.random() < 0.05 else frozenset()
        excluded = frozenset(rng.sample(mentor_ids, 1)) if rng.random() < 0.02 else frozenset()
        mentees.append(
            Mentee(
                **fields,
                weights=weights,
                wants_shared_identity=wants,
                preferred=preferred,
                excluded=excluded,
            )
        )
    mentors = []
    for mentor_id in mentor_ids:
        if mentor_id <= n_mentees or rng.random() < 0.2:
            seniority = rng.randint(4, 7)  # a senior fellow
        else:
            seniority = rng.randint(10, 13)  # faculty
        excluded = frozenset([rng.randint(1, n_mentees)]) if rng.random() < 0.01 else frozenset()
        mentors.append(
            Mentor(
                **profile(rng, mentor_id, seniority),
                capacity=rng.randint(1, 3),
                excluded=excluded,
            )
        )
    return mentees, mentors


def slot_matrix(mentees, mentors):
    """The floor's input: scores of eligible pairs (0 elsewhere), a column per mentor place."""
    scores = score_matrix(mentees, mentors)
    scores[~eligible_matrix(mentees, mentors)] = 0.0
    return np.repeat(scores, [m.capacity for m in mentors], axis=1)


def scoring(mentees, mentors):
    """What any engine must do before it can solve: every pair's score and eligibility."""
    return score_matrix(mentees, mentors), eligible_matrix(mentees, mentors)


def greedy(mentees, mentors):
    """Highest score first (ties: mentee, then mentor, in id order), within the capacities."""
    scores = score_matrix(mentees, mentors)
    eligible = eligible_matrix(mentees, mentors)
    order = np.argsort(-scores, axis=None, kind="stable")
    order = order[eligible.ravel()[order]]
    places = [m.capacity for m in mentors]
    free = len(mentees)
    left = sum(places)
    taken = [False] * len(mentees)
    total = 0.0
    n_mentors = len(mentors)
    for flat in order.tolist():
        if not free or not left:
            break
        i, j = divmod(flat, n_mentors)
        if taken[i] or not places[j]:
            continue
        taken[i] = True
        places[j] -= 1
        free -= 1
        left -= 1
        total += float(scores[i, j])
    return total


def timed(call, rounds):
    """The median time of `rounds` calls and the last call's result."""
    return median_time(call, rounds)


def high_water_mark():
    """This process's peak resident set size in bytes (VmHWM; ru_maxrss where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def peak_rss(n_mentees, n_mentors):
    """Peak resident set size of a child process, in bytes: (before matching, after one match)."""
    out = run_module(
        "bench.bench_matching", "--peak", str(n_mentees), str(n_mentors), capture=True
    ).split()
    return int(out[0]), int(out[1])


def child(n_mentees, n_mentors):
    mentees, mentors = instance(n_mentees, n_mentors)
    before = high_water_mark()
    match(mentees, mentors, mode="optimal")
    print(before, high_water_mark())


def run():
    print(
        "floor: the raw linear_sum_assignment call on the same slot-expanded score matrix (= 1.0);"
        f" targets: <= {TARGET_RATIO}x the floor's time, the largest in < {TARGET_SECONDS:g} s,"
        f" peak memory < {TARGET_BYTES >> 20} MiB, total = the floor's optimum"
    )
    for n_mentees, n_mentors, rounds in SIZES:
        mentees, mentors = instance(n_mentees, n_mentors)
        places = sum(m.capacity for m in mentors)
        matrix = slot_matrix(mentees, mentors)

        floor_time, (rows, cols) = timed(
            partial(linear_sum_assignment, matrix, maximize=True), rounds
        )
        floor_total = float(matrix[rows, cols].sum())
        del matrix
        took, result = timed(partial(match, mentees, mentors, mode="optimal"), rounds)
        scoring_time, _scored = timed(partial(scoring, mentees, mentors), rounds)
        greedy_time, greedy_total = timed(partial(greedy, mentees, mentors), rounds)
        stable_time, stable = timed(partial(match, mentees, mentors, mode="stable"), rounds)
        before, peak = peak_rss(n_mentees, n_mentors)

        ratio = took / floor_time
        print(f"{n_mentees:,} x {n_mentors:,} mentees x mentors ({places:,} places)")
        print(
            f"  optimal {took:7.3f} s = {ratio:4.2f} x floor ({floor_time:.3f} s)"
            f"  [target <= {TARGET_RATIO}x: {'met' if ratio <= TARGET_RATIO else 'MISSED'}]"
            + (
                f"  [target < {TARGET_SECONDS:g} s: {'met' if took < TARGET_SECONDS else 'MISSED'}]"
                if (n_mentees, n_mentors) == SIZES[-1][:2]
                else ""
            )
        )
        print(
            f"  of which scoring the pool (scores and constraints, which the floor is given)"
            f" {scoring_time:.3f} s = {scoring_time / floor_time:4.2f} x floor"
        )
        print(
            f"  total   {result.total_score:11.4f} = {result.total_score / floor_total:.3f} x"
            f" floor optimum ({floor_total:.4f}) [target 1.000];"
            f" {len(result.matches):,} matched, {len(result.unmatched):,} unmatched"
        )
        print(
            f"  greedy  {greedy_total:11.4f} in {greedy_time:.3f} s; quality ratio optimal /"
            f" greedy = {result.total_score / greedy_total:.4f}"
        )
        print(
            f"  stable  {stable.total_score:11.4f} in {stable_time:.3f} s"
            f" ({stable_time / floor_time:4.2f} x floor); stable / optimal ="
            f" {stable.total_score / result.total_score:.4f}; {len(stable.matches):,} matched"
        )
        print(
            f"  memory  peak RSS of a child process (VmHWM) {peak / 2**20:6.0f} MiB,"
            f" {before / 2**20:.0f} MiB before matching"
            f"  [target < {TARGET_BYTES >> 20} MiB: {'met' if peak < TARGET_BYTES else 'MISSED'}]"
        )


if __name__ == "__main__" and sys.argv[1:2] == ["--peak"]:
    child(int(sys.argv[2]), int(sys.argv[3]))
