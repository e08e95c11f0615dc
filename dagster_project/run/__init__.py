"""The run machinery: the CLI, the run lock, the cleanup of a killed run, the console lines, failures."""
