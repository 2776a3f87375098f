"""Study sessions, question variants, progress store and scheduling (no Textual here)."""
