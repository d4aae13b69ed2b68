"""Enforcement designs as games: stag hunts, payoff adjustments, equilibria and dynamics."""
