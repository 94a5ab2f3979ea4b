"""Answers in progress: what a draft may hold, how long it is kept, limits, and emailing a way back."""
