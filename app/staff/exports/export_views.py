"""Export pages: choose a format, then download (streamed, audited, never cached)."""

from flask import Response, abort, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue

from app import clock
from app.extensions import db
from app.staff import lookup
from app.staff.auth import audit
from app.staff.auth.access import requires
from app.staff.blueprint import bp
from app.staff.exports import formats as exports
from app.staff.exports import priority
from app.staff.reporting import response_counts, scoping
from app.surveys import repository

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
    "codebook": "text/csv; charset=utf-8",
}


@bp.route("/exports/<slug>")
@requires("analyst")
def export_form(slug: str) -> ResponseReturnValue:
    survey = lookup.live_survey_or_404(slug)
    count = response_counts.count_responses(db.session, scoping.Scope(survey.slug, survey.round))
    personal = [q for q in survey.questions if q.personal]
    return render_template("staff/export.html", survey=survey, count=count, personal=personal)


@bp.route("/exports/<slug>/download")
@requires("analyst")
def export_download(slug: str) -> ResponseReturnValue:
    survey = lookup.live_survey_or_404(slug)
    fmt = request.args.get("format", "")
    if fmt not in exports.FORMATS:
        abort(400)
    anonymised = request.args.get("anonymised") == "yes"
    scope = scoping.Scope(survey.slug, survey.round)
    columns = exports.columns_for(survey, exports.extra_parts(db.session, scope), anonymised=anonymised)
    rows = exports.count(db.session, scope)
    name = exports.filename(
        survey, fmt, anonymised, clock.now(), includes_samples=repository.sample_response_count(survey.slug) > 0
    )
    if request.method == "HEAD":
        # The same headers, but nothing is downloaded, so nothing is exported or recorded.
        response = Response(content_type=MIMETYPES[fmt])
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response.headers["X-Export-Rows"] = str(rows)
        return response
    audit.record(
        "export",
        f"survey {survey.slug}, round {survey.round}, format {fmt}, "
        f"{'anonymised' if anonymised else 'full'}, {rows} rows",
    )
    if fmt == "codebook":
        body = exports.codebook_stream(columns)
    elif fmt == "csv":
        body = exports.csv_stream(db.session, scope, columns, anonymised)
    elif fmt == "json":
        body = exports.json_stream(db.session, scope, columns, anonymised)
    else:
        body = exports.xlsx_stream(db.session, survey, scope, columns, anonymised)
    response = Response(stream_with_context(priority.yielding_to_visitors(body)), content_type=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Export-Rows"] = str(rows)
    return response
