"""Moving packs between studyreg and other tools: GIFT in, Anki and spreadsheets out."""
