"""What a run hands to people and programs: the JSON export (``export``) and the HTML dossier (``dossier``)."""
