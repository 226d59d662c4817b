"""The command-line interface: `medic`, a thin shell over the service layer."""
