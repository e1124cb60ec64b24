"""Running it as a service: metrics for Prometheus, health endpoints, logs (docs/operations.md)."""
