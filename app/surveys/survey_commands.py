"""Commands: `flask invites issue …`, `flask surveys purge-drafts` and `flask samples …`."""

import csv
import random
import sys
from datetime import datetime, time, timedelta

import click
from flask import current_app

from app.cli_support import DatabaseCommandGroup
from app.clock import utcnow
from app.surveys import invitations, library, repository
from app.surveys.questions import samples
from app.surveys.questions.definitions import Option
from app.surveys.questions.validation import parish_options
from app.surveys.scheduling import status as status_of

invites_cli = DatabaseCommandGroup("invites", help="Invitation links for parish councils and district councillors.")
surveys_cli = DatabaseCommandGroup("surveys", help="Survey housekeeping.")
samples_cli = DatabaseCommandGroup(
    "samples", help="Made-up responses for a development database (never in production)."
)


@invites_cli.command("issue")
@click.argument("survey_slug")
@click.option("--all-parishes", is_flag=True, help="A link for every active parish in content/parishes.yaml.")
@click.option("--parish", "parishes", multiple=True, metavar="NAME", help="A link for this parish (repeatable).")
@click.option("--councillor", metavar="NAME", help="A link for a district councillor (with --ward).")
@click.option("--ward", metavar="WARD", help="The councillor's ward.")
def issue_command(survey_slug, all_parishes, parishes, councillor, ward):
    """Make new invitation links and print them as CSV: respondent,type,link.

    The links are shown only now (only a hash is kept): send each one to its council.
    """
    survey = library.survey(survey_slug)
    if survey is None:
        raise click.ClickException(f"There is no survey '{survey_slug}'. Check the slug in content/surveys/.")
    if survey.audience != "parish":
        raise click.ClickException(f"'{survey_slug}' is a resident survey: residents answer without invitations.")
    if status_of(survey) == "closed":
        raise click.ClickException(f"'{survey_slug}' has closed: links to it would not work.")
    if bool(councillor) != bool(ward):
        raise click.ClickException("Give both --councillor NAME and --ward WARD.")
    if not (all_parishes or parishes or councillor):
        raise click.ClickException("Say who to invite: --all-parishes, --parish NAME or --councillor NAME --ward WARD.")

    wanted = []  # (name, type, ward)
    if all_parishes:
        wanted += [(p.name, "parish", p.ward) for p in library.parishes()]
    unknown = []
    for name in parishes:
        parish = library.find_parish(name)
        if parish is None:
            unknown.append(name)
        else:
            wanted.append((parish.name, "parish", parish.ward))
    if unknown:
        raise click.ClickException(
            "Not in content/parishes.yaml (or retired): " + ", ".join(unknown) + ". No links were made."
        )
    if councillor:
        wanted.append((councillor.strip(), "councillor", ward.strip()))
    seen, unique = set(), []
    for row in wanted:
        if (row[0].casefold(), row[1]) not in seen:
            seen.add((row[0].casefold(), row[1]))
            unique.append(row)

    base_url = current_app.config["SITE_URL"]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["respondent", "type", "link"])
    for name, kind, ward_name in unique:
        _invitation, token = invitations.issue(survey, name, kind, ward=ward_name)
        writer.writerow([name, kind, invitations.link_for(token, base_url)])


@surveys_cli.command("purge-drafts")
def purge_drafts_command():
    """Delete unfinished answers past their keeping date (30 days for residents, the closing day for councils)."""
    count = repository.purge_expired_drafts()
    click.echo(f"Deleted {count} expired draft{'s' if count != 1 else ''}.")


def _refuse_in_production() -> None:
    if current_app.config.get("PRODUCTION"):
        raise click.ClickException("Sample responses are for development databases only; this is production.")


@samples_cli.command("load")
@click.option("--residents", default=120, show_default=True, help="Sample residents per open residents' survey.")
@click.option("--councils", default=12, show_default=True, help="Sample councils per open parish survey.")
@click.option("--seed", default=2026, show_default=True, help="Random seed, for the same data every time.")
def load_samples_command(residents, councils, seed):
    """Add clearly marked, made-up responses to every survey that takes responses.

    They are stored with the channel "sample"; staff pages warn while any are present and
    export file names say so. Remove them all with `flask samples remove`.
    """
    _refuse_in_production()
    rng = random.Random(seed)
    places = library.parishes()
    now = utcnow().replace(microsecond=0)
    added = 0
    for survey in library.surveys():
        if not survey.accepts_responses:
            continue
        choices = parish_options(places, survey.audience)
        if survey.audience == "parish":
            # Councils answer once each: one sample council per parish, never two.
            pools: list[tuple[Option, ...]] = [(c,) for c in rng.sample(choices, k=min(councils, len(choices)))]
        else:
            pools = [choices] * residents
        for n, pool in enumerate(pools):
            answers = samples.sample_answers(survey, rng, pool)
            when = max(now - timedelta(days=rng.randint(0, 20), minutes=n), _start_of(survey, now))
            repository.save_response(
                survey, answers, repository.new_submission_key(), _sample_respondent(survey, answers), now=when
            )
            added += 1
    click.echo(f'Added {added} sample responses (channel "sample"). Remove them with: flask samples remove')


def _start_of(survey, now: datetime) -> datetime:
    return datetime.combine(survey.opens, time()) if survey.opens else now


def _sample_respondent(survey, answers: dict) -> repository.Respondent:
    place = next((answers[q.id] for q in survey.questions if q.type == "parish" and answers.get(q.id)), None)
    kind = "parish" if survey.audience == "parish" else "resident"
    name = place if kind == "parish" else None
    return repository.Respondent(kind, name, place, None, samples.SAMPLE_CHANNEL, None)


@samples_cli.command("remove")
def remove_samples_command():
    """Delete every sample response; real responses are never touched."""
    _refuse_in_production()
    count = repository.delete_sample_responses()
    click.echo(f"Removed {count} sample response{'s' if count != 1 else ''}.")
