"""What every app uses and that belongs to none of them: version tokens kept in the database and
limits counted there. It imports no app (skills, accounts, plans and goals import it)."""
