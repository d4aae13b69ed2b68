"""Panel regressions of ILO ratification, US GSP worker-rights reviews and compliance."""
