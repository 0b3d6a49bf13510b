def no_client_address(request):
    """django-axes asks for the client's address; we record none (see settings)."""
    return "0.0.0.0"  # noqa: S104 (a placeholder, never bound)
