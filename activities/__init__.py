"""Every side effect the task workflows cause, as classes given their resources in `__init__`."""
