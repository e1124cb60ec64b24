"""What the CLI and the web both do: start a plan's task workflows, read the task read model."""
