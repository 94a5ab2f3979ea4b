"""The content engine: reads `content/` once into typed, sanitised page objects. No Flask here."""
