import pytest

CHECKED_KEY = pytest.StashKey[list]()


def pytest_terminal_summary(terminalreporter, config):
    """The pages and stylesheets the Nu HTML Checker read, when it ran (test_html_validity.py)."""
    checked = config.stash.get(CHECKED_KEY, None)
    if checked:
        terminalreporter.write_sep("-", "checked by the Nu HTML Checker")
        for line in checked:
            terminalreporter.write_line(line)
