"""The service layer: the operations every interface (HTTP, CLI, console) calls."""
