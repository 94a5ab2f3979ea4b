"""The site as the bench serves it: the real app with per-IP rate limits off.

Every bench request comes from 127.0.0.1, so the survey's per-IP limit would turn the
submission burst into 429s and measure the limiter, not the site. Nothing else differs from a
normal deployment that matters for speed (HTTPS redirects and HSTS are header work only).
"""

from app import create_app

app = create_app("testing", TESTING=False, RATELIMIT_ENABLED=False)
