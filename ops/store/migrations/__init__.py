"""Ordered schema migrations: ``NNNN_name.sql`` files applied once each, recorded in
``schema_migrations``. Running them twice changes nothing; an old database is upgraded in place."""
