"""Contract support: provider states and verification of the committed Pact files."""
