"""A survey's results (with filters), its free-text answers and the themes staff give them."""

from urllib.parse import urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import delete, select

from app.extensions import db
from app.staff import lookup
from app.staff.auth import audit
from app.staff.auth.access import requires, safe_next
from app.staff.blueprint import bp
from app.staff.forms import ThemeForm
from app.staff.reporting import charts, response_counts, scoping, survey_report, written_answers
from app.staff.staff_models import AnswerTheme
from app.surveys import repository
from app.surveys.questions.definitions import SurveyDefinition
from app.surveys.survey_models import Answer, Response
from app.template_filters import percent


def filters_from_request(survey: SurveyDefinition) -> scoping.Filters:
    args = request.args
    rtype = args.get("type") if args.get("type") in scoping.respondent_types_for(survey.audience) else None
    channel = args.get("channel") if args.get("channel") in scoping.CHANNELS else None
    area = (args.get("area") or "").strip()[:200] or None
    return scoping.Filters(respondent_type=rtype, area=area, channel=channel)


def section_charts(section: survey_report.Section) -> list[charts.Chart]:
    q = section.question
    # survey_report.build fills the field that matches each section's kind.
    if section.kind == "ranked":
        assert section.ranking is not None
        return [
            charts.bar_chart(
                f"chart-{q.id}",
                f"{q.label}: points (3 for first, 2 for second, 1 for third)",
                [
                    (o.label, o.points, f"{o.points} point{'' if o.points == 1 else 's'}")
                    for o in section.ranking.options
                    if o.top
                ],
            )
        ]
    if section.kind in ("single", "multiple"):
        assert section.distribution is not None
        return [
            charts.bar_chart(
                f"chart-{q.id}",
                q.label,
                [(s.label, s.count, f"{s.count} ({percent(s.percent)})") for s in section.distribution.shares],
            )
        ]
    if section.kind == "rating":
        assert section.rated is not None
        big = (
            q.scale[-2].id
            if len(q.scale) >= 2 and q.scale[-1].id == "dont-know"
            else (q.scale[-1].id if q.scale else "")
        )
        big_label = next((s.label for s in q.scale if s.id == big), big)
        rows = []
        for item in section.rated:
            share = item.share(big)
            rows.append((item.label, share.percent or 0 if share else 0, percent(share.percent if share else None)))
        title = (
            f"Percentage who said each is “{big_label}”, out of everyone who answered that row "
            f"(including “Don't know”; forms where the row was left blank are not counted)"
        )
        return [charts.bar_chart(f"chart-{q.id}", title, rows, maximum=100)]
    return []


@bp.route("/results/<slug>")
@requires("analyst")
def results_page(slug: str) -> ResponseReturnValue:
    survey = lookup.live_survey_or_404(slug)
    filters = filters_from_request(survey)
    data = survey_report.build(db.session, survey, filters)
    chart_map = {s.question.id: section_charts(s) for s in data.sections}
    areas = response_counts.areas(db.session, survey.slug, survey.round)
    return render_template(
        "staff/results.html",
        survey=survey,
        data=data,
        filters=filters,
        charts=chart_map,
        areas=areas,
        round_key=lookup.round_key(survey.round),
        respondent_types=scoping.respondent_types_for(survey.audience),
        channels=scoping.CHANNELS,
    )


def _positive_int(value: str | None, default: int = 1) -> int:
    if value is None:
        return default
    try:
        return max(1, min(int(value), 100000))
    except (TypeError, ValueError):
        return default


@bp.route("/results/<slug>/free-text")
@requires("analyst")
def free_text(slug: str) -> ResponseReturnValue:
    survey = lookup.live_survey_or_404(slug)
    filters = filters_from_request(survey)
    scope = scoping.Scope(survey.slug, survey.round, filters)
    text_ids = survey_report.text_question_ids(survey)
    other_ids = survey_report.other_question_ids(survey)
    question_id = request.args.get("question") or None
    if question_id and question_id not in text_ids + other_ids:
        question_id = None
    search = (request.args.get("q") or "").strip()[:200] or None
    theme = (request.args.get("theme") or "").strip()[:80] or None
    page = written_answers.free_text(
        db.session,
        scope,
        text_ids,
        other_ids,
        question_id=question_id,
        search=search,
        theme=theme,
        page=_positive_int(request.args.get("page")),
    )
    themes = written_answers.theme_counts(db.session, scope)
    questions = [survey.question(qid) for qid in dict.fromkeys(text_ids + other_ids)]
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "staff/free_text.html",
        survey=survey,
        page=page,
        themes=themes,
        questions=questions,
        filters=filters,
        search=search or "",
        theme=theme,
        question_id=question_id,
        form=None,
        theme_form=ThemeForm(),
        areas=response_counts.areas(db.session, survey.slug, survey.round),
        respondent_types=scoping.respondent_types_for(survey.audience),
        channels=scoping.CHANNELS,
        page_url=lambda n: url_for("staff.free_text", slug=slug) + "?" + urlencode({**query, "page": n}),
        return_to=request.full_path.rstrip("?"),
    )


def _answer_in_survey(slug: str, answer_id: int) -> tuple[Answer, Response]:
    found = repository.answer_in_survey(slug, answer_id)
    if found is None:
        abort(404)
    return found


@bp.route("/results/<slug>/free-text/<int:answer_id>", methods=["POST"])
@requires("analyst")
def tag_answer(slug: str, answer_id: int) -> ResponseReturnValue:
    survey = lookup.live_survey_or_404(slug)
    answer, response = _answer_in_survey(survey.slug, answer_id)
    form = ThemeForm()
    back = safe_next(request.form.get("return_to")) or url_for("staff.free_text", slug=slug)
    if not form.validate_on_submit():
        flash("Themes must be 80 characters or fewer.", "info")
        return redirect(back)
    remove = (request.form.get("remove") or "").strip()
    if remove:
        db.session.execute(delete(AnswerTheme).where(AnswerTheme.answer_id == answer.id, AnswerTheme.theme == remove))
    theme = " ".join((form.theme.data or "").split()).lower()
    if theme and not db.session.scalar(
        select(AnswerTheme.id).where(AnswerTheme.answer_id == answer.id, AnswerTheme.theme == theme)
    ):
        db.session.add(AnswerTheme(answer_id=answer.id, theme=theme, created_by_id=current_user.id))
    if not remove and bool(form.personal.data) != bool(answer.personal):
        repository.mark_personal(answer, bool(form.personal.data))
        audit.record(
            "free text marked personal" if answer.personal else "free text unmarked personal",
            f"response {response.reference}, answer {answer.id}",
            commit=False,
        )
    db.session.commit()
    return redirect(back + f"#answer-{answer.id}")
