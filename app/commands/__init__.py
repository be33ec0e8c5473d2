"""Subcommands of the ``iris`` CLI, one module per concept (see ``app.cli.COMMAND_MODULES``)."""
