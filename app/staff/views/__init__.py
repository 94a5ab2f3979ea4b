"""Staff pages, one module per area; importing them registers their routes on the blueprint."""
