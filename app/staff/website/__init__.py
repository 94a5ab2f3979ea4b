"""What staff need to keep the public website's content right: details to confirm, pages to review."""
