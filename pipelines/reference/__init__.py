"""Reference data, in one place: geography, heading lexicon and vocabulary of terms."""
