"""Subcommands of the ``iris`` CLI, one module per concept (see ``app.cli.COMMANDS``)."""
