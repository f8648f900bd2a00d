"""Typed errors of the library; only the CLI turns them into one line and an exit code."""


class CredscoreError(Exception):
    """Base class: the message is one line, in the user's terms."""


class InputError(CredscoreError):
    """An article or input file cannot be read or is empty."""


class RulesError(CredscoreError):
    """rules.yaml is malformed; the message names the file, the rule id and the key."""


class ModelError(CredscoreError):
    """A model file is missing, damaged or of an incompatible version."""
