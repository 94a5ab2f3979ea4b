"""How the surveys ask for a "come back later" link to be emailed, without importing the mail feature.

The mail feature depends on the surveys (it reads invitations and survey dates), so the surveys
cannot import it back. Instead the mail feature puts an object with this shape in
`app.extensions[RESUME_LINK_MAILER]` when it starts; the "saved" page offers to email the link
only while that object says it can send.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from app.surveys.questions.definitions import SurveyDefinition

RESUME_LINK_MAILER = "surveys.resume_link_mailer"


class ResumeLinkMailer(Protocol):
    def available(self) -> bool:
        """Whether email can be sent now (a server or, in development, the outgoing-mail folder)."""

    def send(self, address: str, link: str, survey: SurveyDefinition) -> bool:
        """Send the link to the address now; False if it could not be sent. Keeps no copy of either."""
