"""From article text to figure records."""
