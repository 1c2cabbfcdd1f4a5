"""Output formats: each a pure function from records to the text written to stdout or -o FILE."""
